//! The emitted runbook run for real, as root, in the harness's copy-on-write sandbox with PATH
//! stubs: edits, idempotence, --force, --check, preflight, secrets, options, the interactive
//! manual and reboot steps, and SIGKILL at many points followed by a rerun.
//!
//! The plan is `tests/fixtures/runbook/basic.json` (every kind, both nodes).

mod runbook_support;

use runbook_support::*;
use std::path::PathBuf;
use std::process::Output;

const SECRET: &str = "SeCrEtRaBbIt123";
const DBPASS: &str = "Ks'Db\\Pass";
const VARS: &str = "RABBIT_PASS=SeCrEtRaBbIt123\nKEYSTONE_DBPASS=Ks'Db\\Pass\n# a comment\nNTP_SERVER=time.example.com\n";
const RB: &str = "/opt/runbook-input/controller.sh";

/// A wrapper installed as a PATH stub for `mv` and `cmp`: a kill point (the harness's
/// STUB_KILL_AT counter) before every call the runbook makes itself, so that SIGKILL also lands
/// between a temporary file and its rename.
const KILL_WRAPPER: &str = r#"#!/bin/bash
if [ -z "${STUB_IN_WRAPPER:-}" ] && tr '\0' ' ' </proc/$PPID/cmdline 2>/dev/null | grep -q runbook-input; then
  export STUB_IN_WRAPPER=1
  . /opt/runbook-stubs/lib/stublib.sh
  stub_begin "${0##*/}" "$@"
fi
exec "/usr/bin/${0##*/}" "$@"
"#;

fn scripts() -> PathBuf {
    let dir = scratch("runtime-scripts");
    let plan = fixture_plan("basic");
    render_into(&plan, &dir);
    dir
}

/// A sandbox with the controller runbook, the vars file and a pre-existing nova.conf.
fn setup(name: &str, kill_points: bool) -> Sandbox {
    let dir = scripts();
    let sbx = Sandbox::new(name);
    sbx.put(&dir.join("controller.sh"), RB);
    sbx.put(&dir.join("compute.sh"), "/opt/runbook-input/compute.sh");
    sbx.put(
        &root().join("tests/fixtures/runbook/nova.conf"),
        "/etc/rbtest/nova.conf",
    );
    sbx.put_text("/root/vars.env", VARS);
    if kill_points {
        for c in ["mv", "cmp"] {
            let p = dir.join(format!("wrap-{c}"));
            std::fs::write(&p, KILL_WRAPPER).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
            sbx.put(&p, &format!("/opt/runbook-stubs/bin/{c}"));
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    sbx
}

fn run(sbx: &Sandbox, env: &[&str], args: &[&str]) -> Output {
    let mut a = vec!["bash", RB];
    a.extend_from_slice(args);
    sbx.exec(env, &a)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// (ok, changed, skipped, failed) from the closing summary line.
fn summary(o: &Output) -> (u32, u32, u32, u32) {
    let out = stdout(o);
    let line = out
        .lines()
        .rev()
        .find(|l| l.starts_with("ok="))
        .unwrap_or_else(|| panic!("no summary line: {}", text(o)));
    let n: Vec<u32> = line
        .split_whitespace()
        .map(|kv| kv.split('=').nth(1).unwrap().parse().unwrap())
        .collect();
    (n[0], n[1], n[2], n[3])
}

const NOVA_AFTER: &str = "# nova.conf: a package default with comments and repeated keys
[DEFAULT]
# comment line
#my_ip = <None>
my_ip = 10.0.0.11
enabled_apis=osapi_compute,metadata
#enabled_apis = osapi_compute,metadata
debug = true
transport_url = rabbit://old

[database]
#connection = <None>
connection = mysql+pymysql://nova:Ks'Db\\Pass@controller/nova
; another comment
max_retries = 10

[filter]
multi = a
multi = b
other = 1
other = 2

[api]
# auth_strategy = noauth
auth_strategy = keystone

[glance]
api_servers = http://old:9292

[keystone_authtoken]
www_authenticate_uri = http://controller:5000/
";

#[test]
fn first_run_edits_second_run_and_force_change_nothing() {
    if !have_sandbox() {
        return;
    }
    let sbx = setup("idem", false);
    let o = run(&sbx, &[], &["--vars", "/root/vars.env", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let (_, changed, skipped, failed) = summary(&o);
    assert!(changed >= 10, "{}", text(&o));
    assert_eq!((skipped, failed), (2, 0), "{}", text(&o));

    // the edits the plan describes
    assert_eq!(sbx.read("/etc/rbtest/nova.conf").unwrap(), NOVA_AFTER);
    assert_eq!(
        sbx.read("/etc/rbtest/nova.conf.runbook-orig").unwrap(),
        std::fs::read_to_string(root().join("tests/fixtures/runbook/nova.conf")).unwrap()
    );
    assert_eq!(
        sbx.read("/etc/rbtest/app.conf").unwrap(),
        format!("# app\nrabbit = {SECRET}\nip = 10.0.0.11\nliteral = ${{HOME}} $(id) `id`\n")
    );
    let hosts = sbx.read("/etc/hosts").unwrap();
    let host_orig = std::fs::read_to_string("/etc/hosts").unwrap();
    for l in host_orig.lines() {
        assert!(hosts.lines().any(|h| h == l), "lost {l:?} from /etc/hosts");
    }
    assert!(hosts.ends_with("10.0.0.11       controller\n10.0.0.31       compute\n"));
    assert_eq!(sbx.read("/etc/hosts.runbook-orig").unwrap(), host_orig);
    let chrony = sbx.read("/etc/chrony.conf").unwrap();
    assert!(chrony.contains("#server 0.centos.pool.ntp.org iburst\n"));
    assert!(
        chrony.contains("#server 3.centos.pool.ntp.org iburst\nserver time.example.com iburst\n")
    );
    assert!(chrony.contains("\nallow 10.0.0.0/24\n"));
    assert_eq!(chrony.matches("server time.example.com").count(), 1);
    let etcd = sbx.read("/etc/etcd/etcd.conf").unwrap();
    assert!(etcd.contains("ETCD_LISTEN_CLIENT_URLS=\"http://10.0.0.11:2379\"\n"));
    assert_eq!(etcd.matches("ETCD_NAME=").count(), 1);
    assert_eq!(
        sbx.read("/etc/rbtest/list.txt").unwrap(),
        "alpha\nbeta 10.0.0.11\ngamma\n"
    );
    let changed_list = String::from_utf8_lossy(
        &std::process::Command::new(root().join("tests/harness/sandbox.sh"))
            .arg("changed")
            .arg(&sbx.dir)
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(changed_list.contains("A /etc/rbtest/link.txt"));
    assert!(
        !changed_list.contains("list.txt.runbook-orig"),
        "a file the runbook created needs no backup: {changed_list}"
    );
    assert!(!changed_list.contains("runbook-tmp"), "{changed_list}");
    assert!(!changed_list.contains("NOT-SELECTED"), "{changed_list}");
    let snap1 = sbx.snapshot(&[]);
    assert!(
        snap1.contains("/etc/rbtest/app.conf\tfile\t600\t"),
        "{snap1}"
    );

    // the state file: one line per done step
    let state = sbx.read("/var/lib/runbook/controller.state").unwrap();
    assert!(state.lines().any(|l| l.starts_with("s-ini ")), "{state}");
    assert!(!state.contains("s-manual"), "{state}");

    // second run: nothing changes, every step already done
    let o2 = run(&sbx, &[], &["--vars", "/root/vars.env", "--yes"]);
    assert_eq!(o2.status.code(), Some(0), "{}", text(&o2));
    let (ok2, changed2, skipped2, failed2) = summary(&o2);
    assert_eq!((changed2, skipped2, failed2), (0, 2, 0), "{}", text(&o2));
    assert_eq!(ok2, 13, "{}", text(&o2));
    assert_eq!(sbx.snapshot(&[]), snap1, "the second run changed files");

    // --force re-runs every step; the edits are idempotent, so no file changes either
    let o3 = run(&sbx, &[], &["--vars", "/root/vars.env", "--yes", "--force"]);
    assert_eq!(o3.status.code(), Some(0), "{}", text(&o3));
    assert_eq!(sbx.snapshot(&[]), snap1, "--force changed files");
    // file steps report ok when nothing changed
    assert!(
        stdout(&o3).contains("s-ini nova 설정 ... ok"),
        "{}",
        text(&o3)
    );

    // secrets: nowhere in the output or the log; masked where they would appear
    let log = sbx.read("/var/log/runbook/controller.log").unwrap();
    for (what, s) in [
        ("log", log.as_str()),
        ("stdout 1", &stdout(&o)),
        ("stderr 1", &stderr(&o)),
        ("stdout 3", &stdout(&o3)),
    ] {
        assert!(!s.contains(SECRET), "secret in {what}");
        assert!(!s.contains(DBPASS), "db secret in {what}");
    }
    assert!(log.contains("password is ******** and ********"), "{log}");
}

#[test]
fn check_prints_diffs_and_changes_nothing() {
    if !have_sandbox() {
        return;
    }
    let sbx = setup("check", false);
    let before = sbx.snapshot(&[]);
    let o = run(&sbx, &[], &["--vars", "/root/vars.env", "--yes", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = stdout(&o);
    for p in [
        "/etc/rbtest/app.conf",
        "/etc/chrony.conf",
        "/etc/hosts",
        "/etc/rbtest/nova.conf",
        "/etc/etcd/etcd.conf",
    ] {
        assert!(
            out.contains(&format!("--- {p}\n")),
            "no diff for {p}: {out}"
        );
        assert!(out.contains(&format!("+++ {p} (변경 후)\n")), "{out}");
    }
    assert!(
        out.contains("+connection = mysql+pymysql://nova:********@controller/nova"),
        "{out}"
    );
    assert!(
        out.contains("-connection = sqlite:////var/lib/nova/nova.sqlite"),
        "{out}"
    );
    assert!(out.contains("+rabbit = ********"), "{out}");
    assert!(out.contains("$ yum install -y chrony"), "{out}");
    assert!(!out.contains(SECRET) && !stderr(&o).contains(SECRET));
    assert!(!out.contains(DBPASS));
    assert_eq!(sbx.snapshot(&[]), before, "--check changed files");
    let all = sbx.snapshot(&["/root/vars.env"]);
    let _ = all;
    // and nothing under /var/lib/runbook or /var/log/runbook either
    let noise = std::process::Command::new(root().join("tests/harness/sandbox.sh"))
        .arg("changed")
        .arg(&sbx.dir)
        .arg("--all")
        .output()
        .unwrap();
    let noise = String::from_utf8_lossy(&noise.stdout);
    assert!(!noise.contains("/var/lib/runbook"), "{noise}");
    assert!(!noise.contains("/var/log/runbook"), "{noise}");
}

#[test]
fn missing_variable_stops_before_any_change() {
    if !have_sandbox() {
        return;
    }
    let sbx = setup("missing", false);
    sbx.put_text("/root/partial.env", "KEYSTONE_DBPASS=x\nNTP_SERVER=ntp\n");
    let before = sbx.snapshot(&[]);
    let o = run(&sbx, &[], &["--vars", "/root/partial.env", "--yes"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(stderr(&o).contains("RABBIT_PASS"), "{}", text(&o));
    assert!(!stderr(&o).contains("NTP_SERVER"), "{}", text(&o));
    assert_eq!(
        sbx.snapshot(&[]),
        before,
        "changed something before the preflight"
    );
    // the environment can supply it instead
    let o = run(
        &sbx,
        &["RABBIT_PASS=fromenv123"],
        &["--vars", "/root/partial.env", "--yes", "--only", "s-file"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(sbx
        .read("/etc/rbtest/app.conf")
        .unwrap()
        .contains("rabbit = fromenv123"));
    // a value equal to the placeholder name is no value
    let o = run(
        &sbx,
        &["RABBIT_PASS=RABBIT_PASS"],
        &[
            "--vars",
            "/root/partial.env",
            "--yes",
            "--force",
            "--only",
            "s-file",
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
}

#[test]
fn failing_step_names_itself_and_masks_secrets() {
    if !have_sandbox() {
        return;
    }
    let sbx = setup("fail", false);
    sbx.put_text("/root/fail-here", "");
    let o = run(&sbx, &[], &["--vars", "/root/vars.env", "--yes"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = stderr(&o);
    assert!(err.contains("s-echo"), "{err}");
    assert!(err.contains("01-a.md:75"), "{err}");
    assert!(err.contains("a.html#step-s-echo"), "{err}");
    assert!(err.contains("password is ******** and ********"), "{err}");
    assert!(!err.contains(SECRET) && !stdout(&o).contains(SECRET));
    assert!(
        stdout(&o).contains("s-echo 비밀 출력 ... failed"),
        "{}",
        text(&o)
    );
    assert!(stdout(&o).trim_end().ends_with("failed=1"), "{}", text(&o));
    // steps after it did not run
    assert!(sbx.read("/etc/rbtest/list.txt").is_none());
    // fixed: the next run continues with it
    sbx.sh("rm -f /root/fail-here");
    let o = run(&sbx, &[], &["--vars", "/root/vars.env", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        stdout(&o).contains("s-echo 비밀 출력 ... changed"),
        "{}",
        text(&o)
    );
    assert!(
        stdout(&o).contains("s-ini nova 설정 ... ok"),
        "{}",
        text(&o)
    );
}

#[test]
fn options_help_list_phase_from_only() {
    if !have_sandbox() {
        return;
    }
    let sbx = setup("options", false);
    let o = run(&sbx, &[], &["--help"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let h = stdout(&o);
    assert!(
        h.contains("노드: controller") && h.contains("런북 시험 가이드") && h.contains("15개"),
        "{h}"
    );
    for opt in [
        "--list", "--check", "--phase", "--from", "--only", "--vars", "--yes", "--force",
    ] {
        assert!(h.contains(opt), "{opt} missing from --help");
    }
    assert_eq!(run(&sbx, &[], &["--bogus"]).status.code(), Some(2));
    assert_eq!(run(&sbx, &[], &["--only", "nope"]).status.code(), Some(2));
    assert_eq!(run(&sbx, &[], &["--phase", "x"]).status.code(), Some(2));
    // environment set by a step is in effect for a later run that starts in the middle
    let o = run(
        &sbx,
        &[],
        &["--vars", "/root/vars.env", "--yes", "--only", "s-mkdir"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(&sbx, &[], &["--yes", "--only", "s-env"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(stdout(&o).contains("s-env 환경 확인 ... ok"));
    let env = sbx.sh("stat -c %a /var/lib/runbook/controller.env").stdout;
    assert_eq!(String::from_utf8_lossy(&env).trim(), "600");
    // --list shows what is done
    let o = run(&sbx, &[], &["--list"]);
    let l = stdout(&o);
    assert!(
        l.lines()
            .any(|x| x.starts_with("s-mkdir") && x.contains('예')),
        "{l}"
    );
    assert!(
        l.lines()
            .any(|x| x.starts_with("s-ini") && !x.contains('예')),
        "{l}"
    );
    assert!(
        !l.contains("s-alt"),
        "an unselected alternative is in no runbook: {l}"
    );
    // --phase 2 runs only the phase-2 step
    let o = run(
        &sbx,
        &[],
        &["--vars", "/root/vars.env", "--yes", "--phase", "2"],
    );
    let out = stdout(&o);
    assert!(!out.contains("s-ini"), "{out}");
    assert!(out.contains("s-final"), "{out}");
    // --from starts there
    let o = run(
        &sbx,
        &[],
        &["--vars", "/root/vars.env", "--yes", "--from", "s-manual"],
    );
    let out = stdout(&o);
    assert!(
        !out.contains("s-ini") && out.contains("s-manual") && out.contains("s-reboot"),
        "{out}"
    );
    // the compute runbook has only its own steps
    let o = sbx.exec(&[], &["bash", "/opt/runbook-input/compute.sh", "--list"]);
    let l = stdout(&o);
    assert!(
        l.contains("s-hosts") && l.contains("s-reboot") && !l.contains("s-ini"),
        "{l}"
    );
}

#[test]
fn interactive_manual_and_reboot_steps() {
    if !have_sandbox() || !have_tool("script", "a terminal for the interactive run") {
        return;
    }
    let sbx = setup("tty", false);
    let tty = |extra: &str, env: &[&str]| {
        sbx.exec(
            env,
            &[
                "script",
                "-qec",
                &format!("bash {RB} --vars /root/vars.env {extra}"),
                "/dev/null",
            ],
        )
    };
    // under --yes the reboot step is reported and skipped
    let o = tty("--yes --only s-reboot", &[]);
    assert!(
        stdout(&o).contains("s-reboot 재부팅 ... skipped"),
        "{}",
        text(&o)
    );
    // interactively: the manual step waits for Enter (stdin is /dev/null: EOF counts as Enter),
    // the reboot step ends the run with exit 0 and is recorded as done
    let o = tty("--from s-manual", &["TERM=xterm"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(out.contains("재부팅한 다음 다시 실행하세요"), "{out}");
    assert!(!out.contains("s-final"), "{out}");
    assert!(out.contains("\u{1b}["), "colour on a terminal: {out}");
    let state = sbx.read("/var/lib/runbook/controller.state").unwrap();
    assert!(
        state.contains("s-reboot ") && state.contains("s-manual "),
        "{state}"
    );
    // the next run continues after it; NO_COLOR turns colour off
    let o = tty("--from s-manual", &["TERM=xterm", "NO_COLOR=1"]);
    let out = stdout(&o);
    assert!(out.contains("s-reboot 재부팅 ... ok"), "{out}");
    assert!(out.contains("s-final"), "{out}");
    assert!(!out.contains("\u{1b}["), "{out}");
}

#[test]
fn sigkill_at_many_points_then_rerun_ends_like_one_run() {
    if !have_sandbox() {
        return;
    }
    // the uninterrupted run, and how many kill points it passes
    let reference = setup("kill-ref", true);
    let o = run(&reference, &[], &["--vars", "/root/vars.env", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let want = reference.snapshot(&[]);
    let calls: u32 = reference
        .read("/var/lib/stubs/calls.count")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    drop(reference);
    assert!(calls >= 8, "only {calls} kill points");
    let mut points: Vec<u32> = (1..=calls).collect();
    // keep the test bounded: at most 24 points, spread over the run
    if points.len() > 24 {
        let step = points.len() as f64 / 24.0;
        points = (0..24).map(|k| 1 + (k as f64 * step) as u32).collect();
    }
    let mut killed = 0;
    for n in &points {
        let sbx = setup(&format!("kill-{n}"), true);
        let at = format!("STUB_KILL_AT={n}");
        let o = run(&sbx, &[&at], &["--vars", "/root/vars.env", "--yes"]);
        assert_eq!(
            o.status.code(),
            Some(137),
            "kill at {n} did not kill: {}",
            text(&o)
        );
        killed += 1;
        let o = run(&sbx, &[], &["--vars", "/root/vars.env", "--yes"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "rerun after kill at {n}: {}",
            text(&o)
        );
        let got = sbx.snapshot(&[]);
        assert_eq!(got, want, "after a kill at call {n} the files differ");
    }
    assert!(killed >= 8);
    eprintln!("killed at {killed} points of {calls}");
}
