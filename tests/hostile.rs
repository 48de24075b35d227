//! The hostile fixture guide (`tests/fixtures/hostile/guide/`): titles, headings, paths,
//! file contents, ini values and variable values carrying `$(touch /tmp/pwned…)`, backticks,
//! quotes, `<script>`, `onerror=` and `javascript:` links.
//!
//! - it compiles, and every value reaches the plan verbatim;
//! - its site has no script, event handler, frame or `javascript:` URL from the guide: the only
//!   `<script` tags are the theme's own;
//! - its runbooks pass `bash -n` and shellcheck;
//! - run for real in the sandbox harness (`tests/harness/`) with `--yes` and a vars file whose
//!   values carry `$(touch /tmp/pwned2)`, backticks and quotes, they create no file the guide does
//!   not ask for (`sandbox.sh changed --all`: no `/tmp/pwned*`, nothing outside the paths of the
//!   guide's file steps and the files its commands write), and write every value literally.
//!
//! In CI (`CI=true`) a missing shellcheck or sandbox fails; locally those parts are skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn guide() -> PathBuf {
    root().join("tests/fixtures/hostile/guide")
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn have_tool(tool: &str) -> bool {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool} >/dev/null 2>&1"))
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(!in_ci(), "{tool} is required in CI");
        eprintln!("SKIP: {tool} not installed");
    }
    ok
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hostile-{name}-{}", std::process::id()));
    if d.exists() {
        std::fs::remove_dir_all(&d).unwrap();
    }
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Build the hostile guide into a fresh folder; returns the output folder.
fn build(name: &str) -> PathBuf {
    let out = scratch(name).join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .arg("build")
        .arg("--guide")
        .arg(guide())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "build of the hostile guide failed:\n{}",
        text(&o)
    );
    out
}

fn plan(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap()
}

fn steps(plan: &serde_json::Value) -> Vec<serde_json::Value> {
    plan["steps"].as_array().cloned().unwrap_or_default()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------

#[test]
fn compiles_and_keeps_every_value_verbatim() {
    let out = build("plan");
    let p = plan(&out);
    assert!(
        p["title"]
            .as_str()
            .unwrap()
            .contains("$(touch /tmp/pwned-toml)"),
        "title: {}",
        p["title"]
    );
    let st = steps(&p);
    let by_path = |path: &str| {
        st.iter()
            .find(|s| s["path"].as_str() == Some(path))
            .unwrap_or_else(|| panic!("no step for {path}"))
            .clone()
    };
    let app = by_path("/etc/hostile/app.conf");
    assert_eq!(app["kind"], "file");
    let content = app["content"].as_str().unwrap();
    for needle in [
        "# $(touch /tmp/pwned-content)",
        "title = `touch /tmp/pwned-content2`",
        "inject = '; touch /tmp/pwned-content3; echo '",
        "\nEOF\nRUNBOOK_EOF\n__RB_EOF__\n",
        "backslash = \\n \\\\ \\",
    ] {
        assert!(
            content.contains(needle),
            "app.conf content lost {needle:?}:\n{content}"
        );
    }
    assert_eq!(by_path("/etc/hostile/service.ini")["kind"], "ini");
    assert_eq!(
        by_path("/etc/hostile/$(touch /tmp/pwned-path).conf")["kind"],
        "file"
    );
    let vars: BTreeSet<&str> = p["variables"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["name"].as_str())
        .collect();
    assert!(
        vars.contains("HOSTILE_PASS") && vars.contains("HOSTILE_VALUE"),
        "{vars:?}"
    );
    // the output lines of the prompt block are not commands
    for s in &st {
        let run = s["run"].as_str().unwrap_or("");
        if s["kind"] == "command" || s["kind"] == "verify" {
            assert!(
                !run.contains("pwned-output"),
                "an output line became a command in step {}: {run}",
                s["id"]
            );
        }
    }
}

/// The `<script ...>` tags the default theme writes (layout.hbs).
const THEME_SCRIPTS: &[&str] = &[
    r#"<script src="assets/early.js"></script>"#,
    r#"<script src="assets/site.js"></script>"#,
    r#"<script src="toc.js"></script>"#,
    r#"<script src="search-index.js"></script>"#,
    r#"<script src="assets/search.js"></script>"#,
];

#[test]
fn site_has_no_script_from_the_guide() {
    let out = build("site");
    let site = out.join("site");
    let mut pages = 0;
    for f in files_under(&site) {
        let name = f
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&f).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        let lower = s.to_lowercase();
        if name.ends_with(".html") {
            pages += 1;
            let tags = lower.matches("<script").count();
            let theme: usize = THEME_SCRIPTS.iter().map(|t| s.matches(t).count()).sum();
            assert_eq!(
                tags, theme,
                "{name}: {tags} <script tags, {theme} of them the theme's"
            );
            for bad in [
                "onerror",
                "onmouseover",
                "onclick",
                "onload",
                "javascript:",
                "<iframe",
                "<img src=x",
            ] {
                assert!(!lower.contains(bad), "{name} contains {bad:?}");
            }
        } else if name.ends_with(".js") && !name.starts_with("assets/") {
            // data scripts (search index, toc): guide text only inside JSON strings, no markup
            assert!(
                !lower.contains("</script"),
                "{name} can close a script element"
            );
            assert!(!s.contains('<'), "{name} carries a raw '<'");
        }
    }
    assert!(pages >= 4, "only {pages} pages");
    // the chapter page shows the hostile text as text
    let ch = std::fs::read_to_string(site.join("01-hostile.html")).unwrap();
    assert!(
        ch.contains("&lt;script&gt;alert("),
        "the <script> text is not shown escaped"
    );
    assert!(ch.contains("$(touch /tmp/pwned-content)"));
}

#[test]
fn runbooks_pass_bash_n_and_shellcheck() {
    let out = build("lint");
    let scripts = files_under(&out.join("runbooks"));
    let scripts: Vec<PathBuf> = scripts
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    assert!(!scripts.is_empty(), "no runbooks");
    for s in &scripts {
        let o = Command::new("bash").arg("-n").arg(s).output().unwrap();
        assert!(o.status.success(), "bash -n {}:\n{}", s.display(), text(&o));
    }
    if have_tool("shellcheck") {
        let o = Command::new("shellcheck")
            .arg("--shell=bash")
            .args(&scripts)
            .output()
            .unwrap();
        let mut t = text(&o);
        t.truncate(20_000);
        assert!(o.status.success(), "shellcheck:\n{t}");
    }
}

// ---------------------------------------------------------------------------------------------
// A real run in the sandbox

struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn harness() -> PathBuf {
        root().join("tests/harness/sandbox.sh")
    }
    fn run(args: &[&str]) -> Output {
        Command::new(Self::harness()).args(args).output().unwrap()
    }
    fn new(name: &str) -> Sandbox {
        let dir = scratch(name).join("sbx");
        std::fs::remove_dir_all(&dir).ok();
        let o = Self::run(&["new", dir.to_str().unwrap()]);
        assert!(o.status.success(), "sandbox new:\n{}", text(&o));
        Sandbox { dir }
    }
    fn d(&self) -> &str {
        self.dir.to_str().unwrap()
    }
    fn put(&self, src: &Path, dest: &str) {
        let o = Self::run(&["put", self.d(), src.to_str().unwrap(), dest]);
        assert!(o.status.success(), "sandbox put:\n{}", text(&o));
    }
    fn exec(&self, cmd: &[&str]) -> Output {
        let mut args = vec![
            "exec",
            self.d(),
            "--env",
            "NO_COLOR=1",
            "--timeout",
            "300",
            "--",
        ];
        args.extend_from_slice(cmd);
        Self::run(&args)
    }
    fn changed(&self) -> Vec<(char, String)> {
        let o = Self::run(&["changed", self.d(), "--all"]);
        assert!(o.status.success(), "sandbox changed:\n{}", text(&o));
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| {
                let (k, p) = l.split_once(' ')?;
                Some((k.chars().next()?, p.to_string()))
            })
            .collect()
    }
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(self.dir.join("upper").join(path.trim_start_matches('/'))).ok()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if std::env::var_os("RUNBOOK_KEEP_SANDBOX").is_none() {
            Self::run(&["rm", self.d()]);
        }
    }
}

fn have_sandbox() -> bool {
    let why = if !Sandbox::harness().exists() {
        "tests/harness/sandbox.sh missing"
    } else if !is_root() {
        "not root"
    } else if !have_tool("unshare") {
        "no unshare"
    } else {
        return true;
    };
    assert!(!in_ci(), "the sandbox harness cannot run in CI: {why}");
    eprintln!("SKIP: sandbox harness unavailable: {why}");
    false
}

/// Files the guide's commands write (its file steps' paths come from the plan).
const COMMAND_OUTPUTS: &[&str] = &[
    "/etc/hostile/var-dq.txt",
    "/etc/hostile/var-sq.txt",
    "/etc/hostile/var-bare.txt",
    "/etc/hostile/prompt.txt",
];

/// The harness's and the runbook's own bookkeeping, not the guide's doing.
const NOISE: &[&str] = &[
    "/opt/runbook-stubs/",
    "/opt/runbook-input/",
    "/var/lib/runbook/",
    "/var/log/runbook/",
    "/var/lib/stubs/",
    "/var/log/stubs/",
    "/root/.bash_history",
    "/var/cache/ldconfig/",
];

const HOSTILE_PASS: &str = "$(touch /tmp/pwned2)";
const HOSTILE_VALUE: &str = "'; touch /tmp/pwned3; `touch /tmp/pwned4` \" $HOME \\";

#[test]
fn runbooks_run_in_the_sandbox_and_create_only_what_the_guide_asks() {
    if !have_sandbox() {
        return;
    }
    let out = build("run");
    let p = plan(&out);
    let nodes: Vec<String> = p["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    assert_eq!(
        nodes,
        ["controller"],
        "the hostile guide is a one-node guide"
    );

    // allowed: every path a file step names, its parent folders, the files commands write
    let mut allowed: BTreeSet<String> = BTreeSet::new();
    let mut add = |path: &str| {
        allowed.insert(path.to_string());
        let mut p = Path::new(path).parent();
        while let Some(d) = p {
            let s = d.to_string_lossy();
            if s == "/" || s == "/etc" {
                break;
            }
            allowed.insert(format!("{s}/"));
            p = d.parent();
        }
    };
    for s in steps(&p) {
        if matches!(s["kind"].as_str(), Some("file" | "ini" | "lines")) {
            if let Some(path) = s["path"].as_str() {
                add(path);
            }
        }
    }
    for c in COMMAND_OUTPUTS {
        add(c);
    }

    let vars = scratch("run-vars").join("vars.env");
    std::fs::write(
        &vars,
        format!("HOSTILE_PASS={HOSTILE_PASS}\nHOSTILE_VALUE={HOSTILE_VALUE}\n"),
    )
    .unwrap();
    let sb = Sandbox::new("run-sandbox");
    sb.put(
        &out.join("runbooks/controller.sh"),
        "/opt/runbook-input/controller.sh",
    );
    sb.put(&vars, "/opt/runbook-input/vars.env");

    // a dry run (--check) changes nothing at all, hostile values or not
    let o = sb.exec(&[
        "bash",
        "/opt/runbook-input/controller.sh",
        "--check",
        "--yes",
        "--vars",
        "/opt/runbook-input/vars.env",
    ]);
    let check_log = text(&o);
    assert!(o.status.success(), "--check failed:\n{check_log}");
    let dry: Vec<String> = sb
        .changed()
        .into_iter()
        .filter(|(_, p)| !NOISE.iter().any(|n| p.starts_with(n)))
        .map(|(k, p)| format!("{k} {p}"))
        .collect();
    assert!(
        dry.is_empty(),
        "--check changed files:\n{}\n\n{check_log}",
        dry.join("\n")
    );
    assert!(
        !check_log.contains("pwned2"),
        "--check printed the secret HOSTILE_PASS:\n{check_log}"
    );

    let o = sb.exec(&[
        "bash",
        "/opt/runbook-input/controller.sh",
        "--yes",
        "--vars",
        "/opt/runbook-input/vars.env",
    ]);
    let run_log = text(&o);
    assert!(o.status.success(), "the hostile runbook failed:\n{run_log}");

    let changed = sb.changed();
    let mut unexpected = Vec::new();
    for (kind, path) in &changed {
        if path.starts_with("/tmp/pwned") {
            unexpected.push(format!("{kind} {path}  <- INJECTION"));
            continue;
        }
        if NOISE.iter().any(|n| path.starts_with(n)) {
            continue;
        }
        if allowed.contains(path) {
            continue;
        }
        unexpected.push(format!("{kind} {path}"));
    }
    // belt and braces: the upper layer has no /tmp/pwned* at all
    if let Ok(rd) = std::fs::read_dir(sb.dir.join("upper/tmp")) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with("pwned") {
                unexpected.push(format!("/tmp/{n}  <- INJECTION"));
            }
        }
    }
    unexpected.sort();
    unexpected.dedup();
    assert!(
        unexpected.is_empty(),
        "the hostile runbook changed files the guide does not ask for:\n{}\n\nallowed: {allowed:#?}\n\nrun:\n{run_log}",
        unexpected.join("\n")
    );

    // every value written literally
    let app = String::from_utf8(sb.read("/etc/hostile/app.conf").expect("app.conf")).unwrap();
    assert!(app.contains("# $(touch /tmp/pwned-content)\n"), "{app}");
    assert!(
        app.contains(&format!("password = {HOSTILE_PASS}\n")),
        "{app}"
    );
    assert!(app.contains("\nEOF\nRUNBOOK_EOF\n__RB_EOF__\n"), "{app}");
    let ini = String::from_utf8(sb.read("/etc/hostile/service.ini").expect("service.ini")).unwrap();
    assert!(ini.contains("option = $(touch /tmp/pwned-ini)"), "{ini}");
    assert!(ini.contains(&format!("value = {HOSTILE_VALUE}")), "{ini}");
    assert!(ini.contains(&format!("secret = {HOSTILE_PASS}")), "{ini}");
    for f in ["var-dq.txt", "var-sq.txt", "var-bare.txt"] {
        let got = sb.read(&format!("/etc/hostile/{f}")).expect(f);
        assert_eq!(
            String::from_utf8_lossy(&got),
            format!("{HOSTILE_VALUE}\n"),
            "{f}: the variable's value is not written literally"
        );
    }
    let heredoc = sb.read("/etc/hostile/heredoc.conf").expect("heredoc.conf");
    assert_eq!(
        String::from_utf8_lossy(&heredoc),
        "$(touch /tmp/pwned-heredoc)\n`touch /tmp/pwned-heredoc2`\n'\"\n"
    );
    // secrets never printed
    assert!(
        !run_log.contains("pwned2"),
        "the secret HOSTILE_PASS was printed:\n{run_log}"
    );
}

/// Node names from runbook.toml become file names (`runbooks/<node>.sh`, `site/node-<node>.html`,
/// `site/runbooks/<node>.sh`): a name that is a path must not write outside `out/`.
#[test]
fn config_node_names_never_write_outside_out() {
    let mut failures = Vec::new();
    for (i, name) in [
        "../../../escaped",
        "../escaped",
        "/tmp/escaped",
        "a/../../escaped",
        "..",
    ]
    .iter()
    .enumerate()
    {
        let d = scratch(&format!("node-name-{i}"));
        let g = d.join("guide");
        std::fs::create_dir_all(&g).unwrap();
        std::fs::write(
            g.join("01.md"),
            "# 설치\n\n**Evil 노드에서 진행**\n\n```bash\nyum install -y chrony\n```\n",
        )
        .unwrap();
        std::fs::write(
            g.join("runbook.toml"),
            format!("[[nodes]]\nname = {name:?}\naliases = [\"evil\"]\n"),
        )
        .unwrap();
        let parent = d.join("p");
        std::fs::create_dir_all(&parent).unwrap();
        let out = parent.join("out");
        let o = Command::new(env!("CARGO_BIN_EXE_runbook"))
            .arg("build")
            .arg("--guide")
            .arg(&g)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        // refusing the name is fine; writing outside out/ is not
        let beside: Vec<String> = walkdir::WalkDir::new(&d)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&d)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|p| !p.starts_with("p/out/") && !p.starts_with("guide/"))
            .collect();
        if !beside.is_empty() {
            failures.push(format!(
                "node name {name:?}: files written outside out/: {beside:?}"
            ));
        }
        for f in ["/tmp/escaped.sh", "/tmp/escaped.html"] {
            if Path::new(f).exists() {
                failures.push(format!("node name {name:?}: wrote {f} on the host"));
                std::fs::remove_file(f).ok();
            }
        }
        let _ = o;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
