//! Encodings real Korean guides use: UTF-8 with or without BOM, CRLF line ends, CP949 /
//! EUC-KR. Copies of the seed guide (`../shared/seeds/openstack-install-guide.md`) in each
//! encoding give a plan.json byte-identical to the seed's; invalid bytes give a clear error naming
//! file:line and a non-zero exit.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NAME: &str = "openstack-install-guide.md";

fn seed() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds")
        .join(NAME);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("encodings-{name}-{}", std::process::id()));
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

fn runbook(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(args)
        .output()
        .unwrap()
}

/// Write `bytes` as `<scratch>/<variant>/guide/openstack-install-guide.md` (the same file name in
/// every variant, so `source.file` agrees), build it, return plan.json and the build's output.
fn build_variant(variant: &str, bytes: &[u8]) -> (Vec<u8>, Output) {
    let dir = scratch(variant);
    let guide = dir.join("guide");
    std::fs::create_dir_all(&guide).unwrap();
    std::fs::write(guide.join(NAME), bytes).unwrap();
    let out = dir.join("out");
    let o = runbook(&[
        "build".as_ref(),
        "--guide".as_ref(),
        guide.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(o.status.success(), "{variant}: build failed:\n{}", text(&o));
    let plan = std::fs::read(out.join("plan.json")).unwrap();
    (plan, o)
}

fn crlf(s: &str) -> String {
    s.replace('\n', "\r\n")
}

fn cp949(s: &str) -> Vec<u8> {
    let (bytes, enc, had_errors) = encoding_rs::EUC_KR.encode(s);
    assert_eq!(enc, encoding_rs::EUC_KR);
    assert!(!had_errors, "the seed has characters CP949 cannot encode");
    bytes.into_owned()
}

fn with_bom(b: &[u8]) -> Vec<u8> {
    let mut v = b"\xEF\xBB\xBF".to_vec();
    v.extend_from_slice(b);
    v
}

#[test]
fn every_encoding_gives_the_seed_plan() {
    let s = seed();
    assert!(!s.contains('\r'), "the seed is expected with LF line ends");
    let (reference, _) = build_variant("utf8", s.as_bytes());
    assert!(reference.len() > 100, "seed plan is suspiciously small");
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("crlf", crlf(&s).into_bytes()),
        ("bom", with_bom(s.as_bytes())),
        ("bom-crlf", with_bom(crlf(&s).as_bytes())),
        ("cp949", cp949(&s)),
        ("cp949-crlf", cp949(&crlf(&s))),
    ];
    for (name, bytes) in variants {
        assert_ne!(
            bytes.as_slice(),
            s.as_bytes(),
            "{name}: no different from the seed"
        );
        let (plan, o) = build_variant(name, &bytes);
        if plan != reference {
            // show the first differing line
            let a = String::from_utf8_lossy(&reference);
            let b = String::from_utf8_lossy(&plan);
            let (i, (la, lb)) = a
                .lines()
                .zip(b.lines())
                .enumerate()
                .find(|(_, (x, y))| x != y)
                .unwrap_or((0, ("<length differs>", "")));
            panic!(
                "{name}: plan.json differs from the seed's at line {}:\n  seed: {la}\n  {name}: {lb}",
                i + 1
            );
        }
        if name.starts_with("cp949") {
            // `check` notes the decoding
            let dir = scratch(&format!("{name}-check"));
            std::fs::write(dir.join(NAME), cp949(&s)).unwrap();
            let c = runbook(&["check".as_ref(), "--guide".as_ref(), dir.as_os_str()]);
            let t = text(&c);
            assert!(
                t.contains("CP949") || t.contains("EUC-KR"),
                "{name}: check says nothing about the CP949 decoding:\n{t}"
            );
        }
        let _ = o;
    }
}

/// A file that is neither UTF-8 nor CP949: a clear error naming file:line, non-zero exit, no out/.
fn assert_encoding_error(variant: &str, bytes: &[u8], line: usize) {
    let dir = scratch(variant);
    let guide = dir.join("guide");
    std::fs::create_dir_all(&guide).unwrap();
    std::fs::write(guide.join(NAME), bytes).unwrap();
    let out = dir.join("out");
    for cmd in ["build", "check"] {
        let mut args: Vec<&std::ffi::OsStr> =
            vec![cmd.as_ref(), "--guide".as_ref(), guide.as_os_str()];
        if cmd == "build" {
            args.extend(["--out".as_ref(), out.as_os_str()]);
        }
        let o = runbook(&args);
        let t = text(&o);
        assert!(
            !o.status.success(),
            "{variant}: {cmd} succeeded on invalid bytes:\n{t}"
        );
        let want = format!("{NAME}:{line}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(&want),
            "{variant}: {cmd} does not name {want}:\n{t}"
        );
        assert!(
            t.contains("UTF-8") || t.contains("encoding") || t.contains("CP949"),
            "{variant}: {cmd}'s message does not say what is wrong:\n{t}"
        );
    }
    assert!(!out.exists(), "{variant}: a failed build wrote out/");
}

fn break_line(mut lines: Vec<Vec<u8>>, line: usize, bad: &[u8]) -> Vec<u8> {
    lines[line - 1].extend_from_slice(bad);
    lines.join(&b'\n')
}

#[test]
fn invalid_utf8_names_file_and_line() {
    let s = seed();
    let lines: Vec<Vec<u8>> = s.split('\n').map(|l| l.as_bytes().to_vec()).collect();
    assert!(lines.len() > 40);
    assert_encoding_error("bad-utf8", &break_line(lines.clone(), 37, b"\xFF\xFE"), 37);
    // a lone continuation byte in an otherwise UTF-8 file
    assert_encoding_error("bad-utf8-cont", &break_line(lines, 12, b"\x80"), 12);
}

#[test]
fn invalid_bytes_in_a_cp949_file_name_their_own_line() {
    // The file is CP949 from line 1 on (Korean text everywhere), with one byte sequence on line 40
    // that CP949 cannot decode: the error must name line 40, not the first non-UTF-8 line.
    let s = seed();
    let lines: Vec<Vec<u8>> = cp949(&s)
        .split(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    assert_encoding_error("bad-cp949", &break_line(lines, 40, b"\xFF\xFF"), 40);
}

#[test]
fn invalid_bytes_in_summary_md_name_it() {
    let dir = scratch("bad-summary");
    let guide = dir.join("guide");
    std::fs::create_dir_all(&guide).unwrap();
    std::fs::write(guide.join(NAME), seed()).unwrap();
    let mut summary = format!("# 요약\n\n- [설치]({NAME})\n\n").into_bytes();
    summary.extend_from_slice(b"- [x\xFF\xFF](x.md)\n");
    std::fs::write(guide.join("SUMMARY.md"), summary).unwrap();
    let o = runbook(&["check".as_ref(), "--guide".as_ref(), guide.as_os_str()]);
    let t = text(&o);
    assert!(
        !o.status.success(),
        "check accepted a broken SUMMARY.md:\n{t}"
    );
    assert!(
        t.contains("SUMMARY.md:5"),
        "the error does not name SUMMARY.md:5:\n{t}"
    );
}
