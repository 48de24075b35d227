//! Stage timings on stderr when `RUNBOOK_TIMINGS` is set (for the benchmark, `bench/run.sh`):
//! wall-clock time since the previous lap and the process's CPU time (Linux), which a busy
//! machine does not inflate.

use std::sync::Mutex;
use std::time::Instant;

/// Whether `RUNBOOK_TIMINGS` is set.
pub fn enabled() -> bool {
    std::env::var_os("RUNBOOK_TIMINGS").is_some()
}

/// CPU time of the process in milliseconds (user + system), 0 where unknown.
pub fn cpu_ms() -> u64 {
    stat().0
}

/// CPU time in milliseconds and minor page faults (first touches of memory) of the process so
/// far, from `/proc/self/stat` (Linux); zeros where unknown.
fn stat() -> (u64, u64) {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return (0, 0);
    };
    // fields after the command name, which is in parentheses
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // minflt, utime and stime are fields 10, 14 and 15 of the line: 7, 11 and 12 after the name
    ((num(11) + num(12)) * 10, num(7))
}

/// Resident memory of the process now and at its peak, in MiB (Linux), 0 where unknown.
pub fn rss_mib() -> (u64, u64) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return (0, 0);
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Laps of one stage, printed as `STAGE: WHAT: N ms (cpu M ms)`.
pub struct Laps {
    stage: &'static str,
    on: bool,
    last: Mutex<(Instant, (u64, u64))>,
}

impl Laps {
    pub fn new(stage: &'static str) -> Self {
        let on = enabled();
        Laps {
            stage,
            on,
            last: Mutex::new((Instant::now(), if on { stat() } else { (0, 0) })),
        }
    }

    /// Report the time since the previous lap.
    pub fn lap(&self, what: &str) {
        if !self.on {
            return;
        }
        let now = (Instant::now(), stat());
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let (t, (c, f)) = *last;
        let (rss, peak) = rss_mib();
        eprintln!(
            "{}: {what}: {} ms (cpu {} ms, {} page faults, rss {rss} MiB, peak {peak} MiB)",
            self.stage,
            (now.0 - t).as_millis(),
            now.1 .0.saturating_sub(c),
            now.1 .1.saturating_sub(f)
        );
        *last = now;
    }

    /// Run `f` and report its own wall-clock time (for parts that run in parallel).
    pub fn part<T>(&self, what: &str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let v = f();
        if self.on {
            eprintln!("{}:   {what}: {} ms", self.stage, t.elapsed().as_millis());
        }
        v
    }
}
