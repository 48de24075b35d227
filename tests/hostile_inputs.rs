//! Malformed input through the binary: a clear diagnostic naming the file (and line
//! where there is one), the documented exit status, and never a panic.
//!
//! - unterminated fence: a warning with file:line, the build succeeds;
//! - empty guide (no file, an empty file, whitespace only): an error, exit non-zero, no out/;
//! - a path that does not exist: an error naming it, exit non-zero;
//! - binary files beside the Markdown: images and archives are ignored, a binary `.md` is skipped
//!   with a warning naming it;
//! - a very large file: 20 MB (`cargo test --release`; 4 MB in debug builds, where the binary is
//!   ~10x slower; `RUNBOOK_BIG_MB=N` overrides) builds within the time limit; a file over the
//!   64 MiB limit is refused with an error naming it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hostile-inputs-{name}-{}", std::process::id()));
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

/// Run the binary with a deadline; a panic (exit 101) or a signal is always a failure.
fn runbook(args: &[&std::ffi::OsStr], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            let o = child.wait_with_output().unwrap();
            panic!("runbook {args:?} ran longer than {limit:?}:\n{}", text(&o));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    let t = text(&o);
    assert!(
        o.status.code().is_some(),
        "runbook {args:?} was killed by a signal:\n{t}"
    );
    assert_ne!(
        o.status.code(),
        Some(101),
        "runbook {args:?} panicked:\n{t}"
    );
    assert!(
        !t.contains("panicked at"),
        "runbook {args:?} panicked:\n{t}"
    );
    o
}

const MINUTE: Duration = Duration::from_secs(60);

fn build(guide: &Path, out: &Path) -> Output {
    runbook(
        &[
            "build".as_ref(),
            "--guide".as_ref(),
            guide.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
        MINUTE,
    )
}

fn check(guide: &Path) -> Output {
    runbook(
        &["check".as_ref(), "--guide".as_ref(), guide.as_os_str()],
        MINUTE,
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const GOOD: &str = "# 설치\n\n**Controller 노드에서 진행**\n\n패키지를 설치합니다.\n\n```bash\nyum install -y chrony\n```\n";

#[test]
fn unterminated_fence_warns_with_file_and_line() {
    let d = scratch("unterminated");
    let g = d.join("guide");
    std::fs::create_dir_all(&g).unwrap();
    std::fs::write(
        g.join("01-a.md"),
        "# 설치\n\n**Controller 노드에서 진행**\n\n```bash\nyum install -y chrony\n\n## 다음 절\n\n본문\n",
    )
    .unwrap();
    for (name, fence) in [("02-b.md", "~~~"), ("03-c.md", "  ```ini")] {
        std::fs::write(
            g.join(name),
            format!("# 장\n\n{fence}\n[DEFAULT]\nkey = v\n"),
        )
        .unwrap();
    }
    let o = build(&g, &d.join("out"));
    let e = stderr(&o);
    assert!(
        o.status.success(),
        "an unterminated fence fails the build:\n{}",
        text(&o)
    );
    for want in ["01-a.md:5:", "02-b.md:3:", "03-c.md:3:"] {
        let line = e
            .lines()
            .find(|l| l.starts_with(want))
            .unwrap_or_else(|| panic!("no diagnostic at {want}:\n{e}"));
        assert!(
            line.contains("warning") && line.contains("fence"),
            "{want}: not a warning about the fence: {line}"
        );
    }
    assert!(d.join("out/plan.json").is_file());
}

#[test]
fn empty_guides_are_an_error() {
    type Files = Vec<(&'static str, &'static [u8])>;
    let cases: Vec<(&str, Files)> = vec![
        ("no-files", vec![]),
        ("empty-file", vec![("01.md", b"")]),
        (
            "whitespace",
            vec![("01.md", b"\n\n   \n\t\n"), ("02.md", b"\r\n")],
        ),
        ("bom-only", vec![("01.md", b"\xEF\xBB\xBF")]),
        ("not-markdown", vec![("notes.txt", b"# not a chapter\n")]),
    ];
    for (name, files) in cases {
        let d = scratch(name);
        let g = d.join("guide");
        std::fs::create_dir_all(&g).unwrap();
        for (f, b) in &files {
            std::fs::write(g.join(f), b).unwrap();
        }
        let out = d.join("out");
        let o = build(&g, &out);
        assert!(
            !o.status.success(),
            "{name}: an empty guide builds:\n{}",
            text(&o)
        );
        let e = stderr(&o);
        assert!(
            e.contains("error") && (e.contains("no Markdown") || e.contains("empty")),
            "{name}: unclear message:\n{e}"
        );
        assert!(
            e.contains(&g.display().to_string()),
            "{name}: the message does not name the guide:\n{e}"
        );
        assert!(!out.exists(), "{name}: out/ written");
        let c = check(&g);
        assert!(
            !c.status.success(),
            "{name}: check accepts an empty guide:\n{}",
            text(&c)
        );
    }
    // one empty file given directly
    let d = scratch("empty-single");
    let f = d.join("guide.md");
    std::fs::write(&f, "").unwrap();
    let o = build(&f, &d.join("out"));
    assert!(!o.status.success(), "an empty file builds:\n{}", text(&o));
    assert!(stderr(&o).contains("guide.md"), "{}", text(&o));
}

#[test]
fn missing_path_is_an_error() {
    let d = scratch("missing");
    for p in [d.join("nosuch"), d.join("nosuch.md"), d.join("a/b/c")] {
        let out = d.join("out");
        let o = build(&p, &out);
        assert!(
            !o.status.success(),
            "{}: builds:\n{}",
            p.display(),
            text(&o)
        );
        let e = stderr(&o);
        assert!(
            e.contains(&p.display().to_string()) && e.contains("no such file"),
            "{}: unclear message:\n{e}",
            p.display()
        );
        assert!(!out.exists());
        for cmd in ["check", "list"] {
            let o = runbook(&[cmd.as_ref(), "--guide".as_ref(), p.as_os_str()], MINUTE);
            assert!(!o.status.success(), "{cmd} {}: succeeds", p.display());
            assert!(stderr(&o).contains("no such file"), "{cmd}: {}", text(&o));
        }
    }
    // SUMMARY.md naming a chapter that does not exist: file:line
    let g = d.join("summary");
    std::fs::create_dir_all(&g).unwrap();
    std::fs::write(g.join("01.md"), GOOD).unwrap();
    std::fs::write(
        g.join("SUMMARY.md"),
        "# 요약\n\n- [하나](01.md)\n- [둘](02.md)\n",
    )
    .unwrap();
    let o = build(&g, &d.join("out2"));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("SUMMARY.md:4"), "{}", text(&o));
}

#[test]
fn binary_files_beside_the_markdown_are_skipped() {
    let d = scratch("binary");
    let g = d.join("guide");
    std::fs::create_dir_all(g.join("img")).unwrap();
    std::fs::write(
        g.join("01-install.md"),
        format!("{GOOD}\n![그림](img/a.png)\n"),
    )
    .unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82";
    std::fs::write(g.join("img/a.png"), png).unwrap();
    std::fs::write(
        g.join("backup.tar.gz"),
        b"\x1f\x8b\x08\0\0\0\0\0\0\x03\xff\xfe",
    )
    .unwrap();
    std::fs::write(g.join("a.pdf"), b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n\0\0\0").unwrap();
    // a binary file with a .md name (an editor's swap file renamed, a broken export)
    let mut bin = b"\0\x01\x02\x03".to_vec();
    bin.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    std::fs::write(g.join("02-broken.md"), &bin).unwrap();
    let out = d.join("out");
    let o = build(&g, &out);
    assert!(
        o.status.success(),
        "binary files fail the build:\n{}",
        text(&o)
    );
    let e = stderr(&o);
    let w = e
        .lines()
        .find(|l| l.contains("02-broken.md"))
        .unwrap_or_else(|| panic!("no warning naming the binary .md:\n{e}"));
    assert!(w.contains("warning") && w.contains("binary"), "{w}");
    for f in ["backup.tar.gz", "a.pdf"] {
        assert!(
            !e.contains(f),
            "{f} is not Markdown and needs no word:\n{e}"
        );
    }
    let plan = std::fs::read_to_string(out.join("plan.json")).unwrap();
    assert!(
        !plan.contains("02-broken"),
        "the binary file reached the plan"
    );
    assert!(plan.contains("yum install -y chrony"));
}

fn big_mb() -> usize {
    std::env::var("RUNBOOK_BIG_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 4 } else { 20 })
}

#[test]
fn a_very_large_file_builds() {
    let mb = big_mb();
    let d = scratch("large");
    let g = d.join("guide");
    std::fs::create_dir_all(&g).unwrap();
    // a realistic mix: chapters' worth of prose, headings, commands, ini blocks, one huge line
    let mut s = String::with_capacity(mb << 20);
    let mut i = 0;
    while s.len() < (mb << 20) - (1 << 18) {
        i += 1;
        s.push_str(&format!(
            "## {i}. 절 (Controller Node)\n\n이 절에서는 서비스를 구성합니다. `/etc/svc{i}.conf` 파일을 편집합니다.\n\n```ini\n[DEFAULT]\nkey{i} = value{i}\n```\n\n```bash\nsystemctl restart svc{i}\n```\n\n{}\n\n",
            "설명 문장이 이어집니다. ".repeat(40)
        ));
    }
    s.push_str(&"긴 줄 `x` ".repeat((1 << 18) / 14));
    s.push('\n');
    std::fs::write(g.join("big.md"), &s).unwrap();
    let out = d.join("out");
    let t = Instant::now();
    let o = runbook(
        &[
            "build".as_ref(),
            "--guide".as_ref(),
            g.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
        Duration::from_secs(600),
    );
    eprintln!(
        "{mb} MB guide ({i} sections): {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert!(
        o.status.success(),
        "a {mb} MB guide does not build:\n{}",
        text(&o)
    );
    let plan = std::fs::read_to_string(out.join("plan.json")).unwrap();
    assert!(
        plan.contains(&format!("svc{i}")),
        "the last section is missing from the plan"
    );
}

#[test]
fn a_file_over_the_limit_is_refused() {
    let d = scratch("too-large");
    let g = d.join("guide");
    std::fs::create_dir_all(&g).unwrap();
    std::fs::write(g.join("01.md"), GOOD).unwrap();
    // sparse: no 65 MiB written to disk
    let f = std::fs::File::create(g.join("02-huge.md")).unwrap();
    f.set_len(65 << 20).unwrap();
    drop(f);
    let out = d.join("out");
    let o = build(&g, &out);
    assert!(
        !o.status.success(),
        "a 65 MiB chapter is accepted:\n{}",
        text(&o)
    );
    let e = stderr(&o);
    assert!(
        e.contains("02-huge.md") && e.contains("too large"),
        "unclear message:\n{e}"
    );
    assert!(!out.exists());
}
