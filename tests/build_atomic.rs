//! `out/` is replaced atomically: a build writes into a temporary folder beside `out/`
//! and replaces `out/` only when everything succeeded.
//!
//! - a build that fails (an error in the guide, a broken theme, a write that fails halfway)
//!   leaves an existing `out/` byte for byte as it was, and leaves no `.out.tmp-*`/`.out.old-*`
//!   behind;
//! - a successful rebuild removes what the previous build wrote and the new one does not;
//! - `--out` never destroys what is not a build output: not the guide itself, not a regular file,
//!   not a folder of someone else's files.

use runbook::build::write_atomically;
use runbook::output::OutFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("build-atomic-{name}-{}", std::process::id()));
    if d.exists() {
        std::fs::remove_dir_all(&d).unwrap();
    }
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn build(guide: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_runbook"))
        .arg("build")
        .arg("--guide")
        .arg(guide)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// Every entry under `dir`: relative path → (kind, mode, bytes).
fn tree(dir: &Path) -> BTreeMap<String, (char, u32, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let meta = e.path().symlink_metadata().unwrap();
        let mode = meta.permissions().mode();
        let v = if meta.is_dir() {
            ('d', mode, Vec::new())
        } else if meta.file_type().is_symlink() {
            ('l', mode, Vec::new())
        } else {
            ('f', mode, std::fs::read(e.path()).unwrap())
        };
        m.insert(rel, v);
    }
    m
}

fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect()
}

fn assert_same_tree(before: &BTreeMap<String, (char, u32, Vec<u8>)>, out: &Path, what: &str) {
    let after = tree(out);
    if &after != before {
        let gone: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
        let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
        let changed: Vec<&String> = before
            .iter()
            .filter(|(k, v)| after.get(*k).is_some_and(|a| a != *v))
            .map(|(k, _)| k)
            .collect();
        panic!("{what}: out/ changed\n gone: {gone:?}\n new: {new:?}\n changed: {changed:?}");
    }
}

/// An output file of `bytes` at `path`.
fn f(path: &str, bytes: &str, executable: bool) -> OutFile {
    OutFile {
        path: PathBuf::from(path),
        bytes: bytes.as_bytes().to_vec(),
        executable,
    }
}

const GOOD_1: &str = "# 설치\n\n**Controller 노드에서 진행**\n\n패키지를 설치합니다.\n\n```bash\nyum install -y chrony\n```\n";
const GOOD_2: &str =
    "# 두 번째 장\n\n**Compute 노드에서 진행**\n\n```bash\nsystemctl enable --now chronyd\n```\n";

fn good_guide(root: &Path) -> PathBuf {
    let g = root.join("guide");
    std::fs::create_dir_all(&g).unwrap();
    std::fs::write(g.join("01-install.md"), GOOD_1).unwrap();
    std::fs::write(g.join("02-second.md"), GOOD_2).unwrap();
    g
}

#[test]
fn a_failed_build_leaves_out_untouched() {
    let d = scratch("failed");
    let good = good_guide(&d);
    let out = d.join("out");
    let o = build(&good, &out, &[]);
    assert!(o.status.success(), "good build failed:\n{}", text(&o));
    let before = tree(&out);
    assert!(before.contains_key("plan.json") && before.len() > 5);

    // 1. an error in the configuration beside the guide: a node name that cannot name a file
    // (what the guide's text says never stops a build; the configuration's errors do)
    let bad = d.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("01.md"),
        "# 설치\n\n<!-- runbook: node=nosuch -->\n```bash\nyum install -y chrony\n```\n",
    )
    .unwrap();
    std::fs::write(bad.join("runbook.toml"), "[[nodes]]\nname = \"../etc\"\n").unwrap();
    let o = build(&bad, &out, &[]);
    assert!(
        !o.status.success(),
        "a guide with a config error builds:\n{}",
        text(&o)
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("runbook.toml"),
        "{}",
        text(&o)
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("01.md:3: warning"),
        "{}",
        text(&o)
    );
    assert_same_tree(&before, &out, "config error");
    assert_eq!(leftovers(&d), Vec::<String>::new());

    // 2. a theme whose template does not compile (fails in the renderer, after compiling)
    let theme = d.join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("layout.hbs"), "{{#if}}<html>{{/each}}").unwrap();
    let o = build(&good, &out, &["--theme", theme.to_str().unwrap()]);
    assert!(!o.status.success(), "a broken theme builds:\n{}", text(&o));
    assert_same_tree(&before, &out, "broken theme");
    assert_eq!(leftovers(&d), Vec::<String>::new());

    // 3. a guide that cannot be loaded
    let o = build(&d.join("nosuch"), &out, &[]);
    assert!(!o.status.success());
    assert_same_tree(&before, &out, "missing guide");
    assert_eq!(leftovers(&d), Vec::<String>::new());
}

#[test]
fn a_write_failing_halfway_leaves_out_untouched() {
    let d = scratch("halfway");
    let out = d.join("out");
    let first = vec![
        OutFile {
            path: "plan.json".into(),
            bytes: b"{\"old\": true}\n".to_vec(),
            executable: false,
        },
        OutFile {
            path: "runbooks/a.sh".into(),
            bytes: b"#!/bin/sh\n".to_vec(),
            executable: true,
        },
    ];
    write_atomically(&out, &first).unwrap();
    let before = tree(&out);
    // the second output needs `site` to be a folder, but the first made it a file
    let broken = vec![
        OutFile {
            path: "plan.json".into(),
            bytes: b"{\"new\": true}\n".to_vec(),
            executable: false,
        },
        OutFile {
            path: "site".into(),
            bytes: b"a file".to_vec(),
            executable: false,
        },
        OutFile {
            path: "site/index.html".into(),
            bytes: b"<html>".to_vec(),
            executable: false,
        },
    ];
    let r = write_atomically(&out, &broken);
    assert!(r.is_err(), "writing under a file succeeded");
    let msg = format!("{:#}", r.unwrap_err());
    assert!(msg.contains("site"), "the error does not say where: {msg}");
    assert_same_tree(&before, &out, "failed write");
    assert_eq!(leftovers(&d), Vec::<String>::new());
}

#[test]
fn a_rebuild_replaces_everything_and_leaves_nothing_behind() {
    let d = scratch("rebuild");
    let g = good_guide(&d);
    let out = d.join("out");
    assert!(build(&g, &out, &[]).status.success());
    assert!(
        out.join("site/02-second.html").is_file(),
        "{:?}",
        tree(&out).keys()
    );
    assert!(out.join("runbooks/compute.sh").is_file());
    // the second chapter goes away: so do its page and the compute runbook
    std::fs::remove_file(g.join("02-second.md")).unwrap();
    let o = build(&g, &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        !out.join("site/02-second.html").exists(),
        "stale page left in out/"
    );
    assert!(
        !out.join("runbooks/compute.sh").exists(),
        "stale runbook left in out/"
    );
    assert_eq!(leftovers(&d), Vec::<String>::new());
    // the same input twice: the same bytes
    let first = tree(&out);
    assert!(build(&g, &out, &[]).status.success());
    assert_same_tree(&first, &out, "identical rebuild");
    // a relative --out in the current folder works and leaves nothing beside it
    let o = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .current_dir(&d)
        .args(["build", "--guide", "guide", "--out", "rel-out"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(d.join("rel-out/plan.json").is_file());
    assert_eq!(leftovers(&d), Vec::<String>::new());
}

#[test]
fn out_is_never_the_guide_itself() {
    // `runbook build --guide guide --out guide` must not replace the guide with the build
    let d = scratch("out-is-guide");
    let g = good_guide(&d);
    let before = tree(&g);
    let o = build(&g, &g, &[]);
    assert_same_tree(&before, &g, "--out naming the guide folder");
    assert!(
        !o.status.success(),
        "building into the guide folder succeeded:\n{}",
        text(&o)
    );
    assert_eq!(leftovers(&d), Vec::<String>::new());
    // nor a folder that holds the guide
    let o = build(&g, &d, &[]);
    assert!(
        !o.status.success(),
        "building over the guide's parent succeeded:\n{}",
        text(&o)
    );
    assert_same_tree(&before, &g, "--out naming the guide's parent");
}

#[test]
fn out_is_never_a_regular_file() {
    let d = scratch("out-is-file");
    let g = good_guide(&d);
    let f = d.join("notes.txt");
    std::fs::write(&f, "precious\n").unwrap();
    let o = build(&g, &f, &[]);
    assert_eq!(
        std::fs::read_to_string(&f).ok().as_deref(),
        Some("precious\n"),
        "the file was replaced"
    );
    assert!(
        !o.status.success(),
        "building over a regular file succeeded:\n{}",
        text(&o)
    );
    assert_eq!(leftovers(&d), Vec::<String>::new());
}

#[test]
fn out_is_never_a_folder_of_other_files() {
    // a non-empty folder without a previous build's plan.json is not ours to delete
    let d = scratch("out-is-foreign");
    let g = good_guide(&d);
    let foreign = d.join("docs");
    std::fs::create_dir_all(foreign.join("sub")).unwrap();
    std::fs::write(foreign.join("sub/report.odt"), "precious").unwrap();
    let before = tree(&foreign);
    let o = build(&g, &foreign, &[]);
    assert_same_tree(&before, &foreign, "--out naming a folder of other files");
    assert!(
        !o.status.success(),
        "building over a foreign folder succeeded:\n{}",
        text(&o)
    );
    // an empty folder is fine
    let empty = d.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = build(&g, &empty, &[]);
    assert!(
        o.status.success(),
        "an empty out/ folder is refused:\n{}",
        text(&o)
    );
}

/// The previous output is recycled (rewritten in place) from the third build on: what an older
/// build wrote and the new one does not is gone, shorter files are cut to size, modes follow.
#[test]
fn recycled_outputs_hold_exactly_the_new_files() {
    let d = scratch("recycle");
    let out = d.join("out");
    let gen1 = vec![
        f(
            "plan.json",
            "{\"a\": 1, \"long\": \"xxxxxxxxxxxxxxxx\"}",
            false,
        ),
        f("site/old.html", "old", false),
        f("site/sub/deep.html", "deep", false),
        f("runbooks/a.sh", "#!/bin/sh\n", true),
    ];
    let gen2 = vec![
        f("plan.json", "{\"b\": 2}", false),
        f("other/x.txt", "x", false),
    ];
    let gen3 = vec![
        f("plan.json", "{}", false),
        f("site/new.html", "new", false),
        f("runbooks/a.sh", "echo", false),
    ];
    for g in [&gen1, &gen2, &gen3] {
        write_atomically(&out, g).unwrap();
    }
    // a fresh build of gen3 for comparison
    let fresh = d.join("fresh");
    write_atomically(&fresh, &gen3).unwrap();
    assert_eq!(tree(&out), tree(&fresh));
    assert_eq!(
        std::fs::read_to_string(out.join("plan.json")).unwrap(),
        "{}"
    );
    assert!(!out.join("site/old.html").exists() && !out.join("other").exists());
    assert_eq!(leftovers(&d), Vec::<String>::new());
}

#[test]
fn a_link_planted_in_the_recycled_output_is_not_followed() {
    let d = scratch("planted-link");
    let guide = good_guide(&d);
    let out = d.join("out");
    let o = build(&guide, &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let o = build(&guide, &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    // the second build left the first one's files as `.out.prev`: plant links there
    let prev = d.join(".out.prev");
    assert!(prev.join("plan.json").is_file(), "no recycled output");
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::fs::remove_file(prev.join("plan.json")).unwrap();
    std::os::unix::fs::symlink(&victim, prev.join("plan.json")).unwrap();
    std::fs::remove_dir_all(prev.join("runbooks")).unwrap();
    std::os::unix::fs::symlink(&d, prev.join("runbooks")).unwrap();
    let o = build(&guide, &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(
        !d.join("controller.sh").exists(),
        "a runbook was written through a link"
    );
    // and the result is what a fresh build gives
    let fresh = d.join("fresh");
    let o = build(&guide, &fresh, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(tree(&out), tree(&fresh));
    assert_eq!(leftovers(&d), Vec::<String>::new());
}

#[test]
fn output_paths_outside_out_or_written_twice_are_refused() {
    let d = scratch("bad-paths");
    let out = d.join("out");
    let f = |p: &str| f(p, "x", false);
    for bad in [
        vec![f("plan.json"), f("../escaped.txt")],
        vec![f("plan.json"), f("/tmp/absolute.txt")],
        vec![f("plan.json"), f("site/a.html"), f("site/./a.html")],
    ] {
        let r = write_atomically(&out, &bad);
        assert!(
            r.is_err(),
            "accepted {:?}",
            bad.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
        assert!(!out.exists());
        assert!(!d.join("escaped.txt").exists());
        assert_eq!(leftovers(&d), Vec::<String>::new());
    }
}

#[test]
fn a_rebuild_rewrites_changed_files_and_leaves_unchanged_ones() {
    let d = scratch("unchanged");
    let out = d.join("out");
    let mtime = |p: &str| std::fs::metadata(out.join(p)).unwrap().modified().unwrap();
    let gen1 = vec![
        f("plan.json", "{\"a\": 1}", false),
        f("site/same.html", "same bytes", false),
        f("site/size.html", "aaaa", false),
        f("runbooks/a.sh", "#!/bin/sh\n", true),
    ];
    // same size, other bytes; same bytes, other mode
    let gen2 = vec![
        f("plan.json", "{\"a\": 1}", false),
        f("site/same.html", "same bytes", false),
        f("site/size.html", "bbbb", false),
        f("runbooks/a.sh", "#!/bin/sh\n", false),
    ];
    write_atomically(&out, &gen1).unwrap();
    write_atomically(&out, &gen1).unwrap(); // now the previous output is recycled
    let before = mtime("site/same.html");
    std::thread::sleep(std::time::Duration::from_millis(20));
    write_atomically(&out, &gen1).unwrap();
    write_atomically(&out, &gen2).unwrap();
    let fresh = d.join("fresh");
    write_atomically(&fresh, &gen2).unwrap();
    assert_eq!(tree(&out), tree(&fresh));
    assert_eq!(
        std::fs::read_to_string(out.join("site/size.html")).unwrap(),
        "bbbb"
    );
    // both generations before the last one had the same bytes: never rewritten since
    assert!(
        mtime("site/same.html") == before || mtime("site/same.html") < before,
        "an unchanged file was rewritten"
    );
}

#[test]
fn leftovers_of_killed_builds_are_removed() {
    let d = scratch("leftovers");
    let guide = good_guide(&d);
    let out = d.join("out");
    // a killed build's folders (no process has this id), and one of a live process (this one)
    let dead_tmp = d.join(".out.tmp-999999999");
    let dead_old = d.join(".out.old-999999998");
    let live = d.join(format!(".out.tmp-{}", std::process::id()));
    let other = d.join(".other.tmp-999999999");
    for p in [&dead_tmp, &dead_old, &live, &other] {
        std::fs::create_dir_all(p.join("site")).unwrap();
        std::fs::write(p.join("site/x.html"), "x").unwrap();
    }
    let o = build(&guide, &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        !dead_tmp.exists() && !dead_old.exists(),
        "a dead build's folders stay"
    );
    assert!(live.exists(), "a live process's folder was removed");
    assert!(other.exists(), "another output's folder was removed");
}
