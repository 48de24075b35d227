//! `shell-syntax` (RB008): a command step bash cannot parse — a quote left open, an `if`
//! without its `fi`, a `)` too many. The runbook would stop there.
//!
//! bash reads the text as a parser only (`bash -n /dev/stdin`, the text written to its
//! standard input, with no startup file and an empty environment): nothing of the guide runs. To spend one process on a whole guide rather than one per
//! step, the steps are parsed together, each as the body of a function of its own (never
//! called); where bash stops, that step is parsed alone, and parsing goes on after it. At most
//! twenty steps are reported.
//!
//! Two kinds of text are not the author's slip and are left alone: a placeholder in angle
//! brackets the reader fills in (`--token <토큰값>`), parsed as a word; and a line of Korean
//! prose that extraction took for a command (`ceph key값을 … 추가 함 (server)`).

use super::Finding;
use runbook_core::model::{Kind, Step};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// bash's path, found once on `PATH` (an absolute program with a new environment is spawned
/// without copying this process).
fn bash() -> Option<&'static Path> {
    static BASH: OnceLock<Option<PathBuf>> = OnceLock::new();
    BASH.get_or_init(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|d| d.join("bash"))
            .find(|p| p.is_file())
    })
    .as_deref()
}

/// What `bash -n` said about a text: None when bash cannot be run.
fn parse(text: &str) -> Option<Result<(), String>> {
    let mut cmd = Command::new(bash()?);
    // the script is read as a file (`/dev/stdin`) so that bash says the line of an error
    cmd.args(["--norc", "--noprofile", "-n", "/dev/stdin"])
        .env_clear()
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().ok()?;
    let mut stdin = child.stdin.take()?;
    let output = std::thread::scope(|s| {
        // bash may stop reading at the first error: a failed write is no failure here
        s.spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        });
        child.wait_with_output()
    })
    .ok()?;
    if output.status.success() {
        return Some(Ok(()));
    }
    let err = String::from_utf8_lossy(&output.stderr);
    // the error, not a warning before it (a here-document left open)
    let first = err
        .lines()
        .find(|l| !l.contains("warning:"))
        .unwrap_or("syntax error")
        .trim_start_matches("/dev/stdin: ")
        .trim_start_matches("bash: ")
        .to_string();
    Some(Err(first))
}

/// A step's text as bash is asked to parse it: `<placeholder>`s (a word of letters, digits,
/// `_`, `-` or Hangul, no path, no spaces) as one word.
fn text_of(run: &str) -> String {
    let mut out = String::with_capacity(run.len());
    let mut rest = run;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        // the word up to `>`, within the line
        let word = after
            .find(|c: char| c == '>' || c == '<' || c.is_whitespace())
            .filter(|&j| after[j..].starts_with('>'))
            .map(|j| &after[..j])
            .filter(|w| is_placeholder(w));
        match word {
            Some(w) => {
                out.push_str("PLACEHOLDER");
                rest = &after[w.len() + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_placeholder(w: &str) -> bool {
    !w.is_empty()
        && w.chars().any(|c| c.is_alphabetic())
        && w.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Whether a character is Hangul.
fn hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// Whether bash's complaint is about a line of Korean prose (`line N: …`) outside quotes.
fn prose_line(text: &str, err: &str) -> bool {
    let Some(line) = line_of(err).and_then(|n| text.lines().nth(n.saturating_sub(1))) else {
        return false;
    };
    let unquoted: String = line.split(['"', '\'']).step_by(2).collect();
    unquoted.chars().any(hangul)
}

/// At most this many steps are reported: a guide with more is not shell to check line by line.
const MOST: usize = 20;
/// After a failing step, the steps after it are parsed in groups of about this many bytes.
const GROUP_BYTES: usize = 64 * 1024;

/// Steps as one script, each the body of its own function (never called), and the line each
/// function starts at.
struct Script {
    text: String,
    starts: Vec<usize>,
}

impl Script {
    fn new(texts: &[String]) -> Script {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(texts.len());
        let mut line = 1;
        for (k, t) in texts.iter().enumerate() {
            starts.push(line);
            text.push_str(&format!("__runbook_step_{k}() {{\n:\n"));
            text.push_str(t);
            text.push_str("\n}\n");
            // the header, `:`, the text's lines and `}`
            line += 4 + t.matches('\n').count();
        }
        Script { text, starts }
    }

    /// The step whose function holds `line`.
    fn step_at(&self, line: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= line)
            .saturating_sub(1)
    }
}

/// What bash says of one step parsed alone.
enum Alone {
    Passes,
    Fails(String),
    /// Korean prose that extraction took for a command: not the author's shell.
    Prose,
}

fn alone(text: &str) -> Alone {
    match parse(text) {
        Some(Err(e)) if prose_line(text, &e) => Alone::Prose,
        Some(Err(e)) => Alone::Fails(e),
        _ => Alone::Passes,
    }
}

/// Find the steps bash rejects among `steps` (their texts: `texts`), halving the group.
fn bisect<'p>(steps: &[&'p Step], texts: &[String], bad: &mut Vec<(&'p Step, String)>) {
    if bad.len() >= MOST {
        return;
    }
    match steps {
        [] => {}
        [one] => {
            if let Alone::Fails(e) = alone(&texts[0]) {
                bad.push((one, e));
            }
        }
        _ => {
            if !matches!(parse(&Script::new(texts).text), Some(Err(_))) {
                return;
            }
            let h = steps.len() / 2;
            bisect(&steps[..h], &texts[..h], bad);
            bisect(&steps[h..], &texts[h..], bad);
        }
    }
}

/// The end of the group of steps starting at `from`.
fn group_end(texts: &[String], from: usize) -> usize {
    let mut size = 0;
    let mut to = from;
    while to < texts.len() && (to == from || size < GROUP_BYTES) {
        size += texts[to].len();
        to += 1;
    }
    to
}

/// The steps bash rejects: the whole guide is parsed once; where bash stops, that step is
/// parsed alone (and, if it passes, the group up to it is halved to find the step that spilled
/// into it); the steps after it are parsed by groups.
fn rejected(shell: &[&Step]) -> Vec<(usize, String)> {
    let texts: Vec<String> = shell.iter().map(|s| text_of(&s.run)).collect();
    let mut bad: Vec<(&Step, String)> = Vec::new();
    let mut from = 0;
    let mut whole = true;
    while from < shell.len() && bad.len() < MOST {
        let to = if whole {
            shell.len()
        } else {
            group_end(&texts, from)
        };
        whole = false;
        let script = Script::new(&texts[from..to]);
        let err = match parse(&script.text) {
            None => break,
            Some(Ok(())) => {
                from = to;
                continue;
            }
            Some(Err(e)) => e,
        };
        // at the end of the text, bash cannot tell where the open block began
        if err.contains("unexpected end of file") {
            bisect(&shell[from..to], &texts[from..to], &mut bad);
            from = to;
            continue;
        }
        let k = from + line_of(&err).map_or(to - from - 1, |l| script.step_at(l));
        match alone(&texts[k]) {
            Alone::Fails(e) => bad.push((shell[k], e)),
            Alone::Prose => {}
            Alone::Passes => bisect(&shell[from..=k], &texts[from..=k], &mut bad),
        }
        from = k + 1;
    }
    bad.into_iter()
        .filter_map(|(s, e)| Some((shell.iter().position(|x| std::ptr::eq(*x, s))?, e)))
        .collect()
}

pub(crate) fn check(steps: &[Step]) -> Vec<Finding<'_>> {
    let shell: Vec<&Step> = steps
        .iter()
        .filter(|s| matches!(s.kind(), Kind::Command | Kind::Verify) && !s.run.trim().is_empty())
        .collect();
    rejected(&shell)
        .into_iter()
        .map(|(k, e)| {
            let s = shell[k];
            let mut f = Finding::new("RB008", s, format!("bash cannot parse this step: {e}"));
            // the line bash stopped at, when the step spans several
            if let Some(n) = line_of(&e) {
                let at = (s.source.line + n.saturating_sub(1)).min(s.end_line.max(s.source.line));
                if at != s.source.line {
                    f.places.push(runbook_core::model::Source {
                        file: s.source.file.clone(),
                        line: at,
                    });
                }
            }
            f
        })
        .collect()
}

/// The line number of bash's complaint (`line 3: syntax error …`).
fn line_of(err: &str) -> Option<usize> {
    err.strip_prefix("line ")
        .and_then(|r| r.split(':').next())
        .and_then(|d| d.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::tests::step;

    #[test]
    fn the_steps_bash_rejects() {
        if parse("true").is_none() {
            eprintln!("skipped: no bash");
            return;
        }
        let mut steps: Vec<Step> = (0..9)
            .map(|k| step(&format!("s{k}"), &["a"], &format!("echo {k}\n")))
            .collect();
        steps[3].run = "if true; then echo x\n".into();
        steps[7].run = "echo \"open".into();
        steps.push(step("t", &["a"], "cat <<EOF\nnever closed\n"));
        steps.push(step("c", &["a"], "# only a comment\n"));
        steps.push(step("l", &["a"], "for h in a b; do\n  echo $h\n"));
        // a placeholder to fill in, and Korean prose read as a command: not the author's slip
        steps.push(step(
            "p",
            &["a"],
            "kubeadm join 10.0.0.1:6443 --token <토큰값> --hash sha256:<해시값>\n",
        ));
        steps.push(step("k", &["a"], "ceph key값을 Hosts에 추가 함 (server)\n"));
        let found: Vec<String> = check(&steps).iter().map(|f| f.step.id.clone()).collect();
        assert_eq!(found, ["s3", "s7", "l"]);
        // where bash stops in the whole script is the step that fails
        let texts: Vec<String> = ["echo 1", "echo 2\n", "for x in y; do"]
            .map(String::from)
            .into();
        let script = Script::new(&texts);
        let err = match parse(&script.text) {
            Some(Err(e)) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!(line_of(&err).map(|l| script.step_at(l)), Some(2), "{err}");
    }
}
