//! `runbook serve`: serves the built site on 127.0.0.1, refuses paths leaving it, rebuilds when a
//! chapter changes; `runbook theme eject` writes a theme that `--theme` accepts.

mod site_common;

use site_common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, text)
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
            let mut perm = std::fs::metadata(&dest).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            std::fs::set_permissions(&dest, perm).unwrap();
        }
    }
}

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

#[test]
fn serve_rebuilds_on_change() {
    let dir = scratch("serve");
    let guide = dir.join("guide");
    copy_dir(&repo().join("guide"), &guide);
    let out = dir.join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["serve", "--port", "0", "--guide"])
        .arg(&guide)
        .arg("--out")
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start runbook serve");
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let port: u16 = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("serve prints its address");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    let (code, body) = get(port, "/");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("<html lang=\"ko\""));
    assert!(body.contains("text/html"));
    let (code, _) = get(port, "/search-index.js");
    assert_eq!(code, 200);
    assert_eq!(get(port, "/no-such-page.html").0, 404);
    assert_eq!(get(port, "/../Cargo.toml").0, 400);
    assert_eq!(get(port, "/%2e%2e/%2e%2e/Cargo.toml").0, 400);
    let (_, v1) = get(port, "/__runbook/version");

    // edit a chapter: the page changes after the rebuild
    let chapter = guide.join("01-intro.md");
    let mut text = std::fs::read_to_string(&chapter).unwrap();
    text.push_str("\n## 서버 재빌드 확인용 새 절\n\n새 문단입니다.\n");
    std::thread::sleep(Duration::from_millis(1100)); // distinct mtime on coarse file systems
    std::fs::write(&chapter, text).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (code, body) = get(port, "/01-intro.html");
        if code == 200 && body.contains("서버 재빌드 확인용 새 절") {
            break;
        }
        assert!(Instant::now() < deadline, "page not rebuilt within 60 s");
        std::thread::sleep(Duration::from_millis(200));
    }
    let (_, v2) = get(port, "/__runbook/version");
    assert_ne!(
        v1.rsplit("\r\n\r\n").next(),
        v2.rsplit("\r\n\r\n").next(),
        "version bumped"
    );
    drop(server);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn theme_eject_and_override() {
    let dir = scratch("theme");
    let theme = dir.join("theme");
    let st = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["theme", "eject"])
        .arg(&theme)
        .status()
        .unwrap();
    assert!(st.success());
    for f in [
        "layout.hbs",
        "chapter.hbs",
        "style.css",
        "site.js",
        "search.js",
    ] {
        assert!(theme.join(f).is_file(), "{f} ejected");
    }
    // a second eject refuses to overwrite
    let st = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["theme", "eject"])
        .arg(&theme)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(!st.success());
    // override one file; the rest stays the default
    std::fs::remove_dir_all(&theme).unwrap();
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("style.css"),
        "/* custom theme css */\nbody{color:red}\n",
    )
    .unwrap();
    std::fs::write(theme.join("extra.css"), "main{max-width:none}\n").unwrap();
    let out = dir.join("out");
    let st = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["build", "--guide"])
        .arg(repo().join("guide"))
        .arg("--out")
        .arg(&out)
        .arg("--theme")
        .arg(&theme)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    let css = std::fs::read_to_string(out.join("site/assets/style.css")).unwrap();
    assert!(css.contains("custom theme css"));
    assert!(out.join("site/assets/site.js").is_file());
    let index = std::fs::read_to_string(out.join("site/index.html")).unwrap();
    assert!(index.contains("href=\"assets/extra.css\""));
    // a broken template is an error naming the file
    std::fs::write(theme.join("chapter.hbs"), "{{#if}}").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["build", "--guide"])
        .arg(repo().join("guide"))
        .arg("--out")
        .arg(&out)
        .arg("--theme")
        .arg(&theme)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("chapter.hbs"));
    std::fs::remove_dir_all(&dir).ok();
}

/// `serve --out` refuses a folder that is not a previous build exactly as `build` does, before
/// serving anything, and leaves the folder's files alone.
#[test]
fn serve_refuses_a_foreign_output_folder_like_build() {
    let dir = scratch("serve-foreign");
    let out = dir.join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "my own file").unwrap();
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("guide");
    // each command gets 60 s: a `serve` that took the folder over would serve until killed
    let run = |cmd: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args([cmd, "--guide"])
            .arg(&guide)
            .arg("--out")
            .arg(&out)
            .args(if cmd == "serve" {
                &["--port", "0"][..]
            } else {
                &[][..]
            })
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        let t0 = Instant::now();
        while child.try_wait().expect("waits").is_none() && t0.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(50));
        }
        child.kill().ok();
        child.wait_with_output().expect("output")
    };
    let built = run("build");
    let served = run("serve");
    assert_eq!(built.status.code(), Some(2));
    assert_eq!(served.status.code(), Some(2), "serve must exit, not serve");
    let err = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        err(&built).contains("not a previous runbook build"),
        "{}",
        err(&built)
    );
    assert_eq!(err(&built), err(&served));
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["notes.txt"]);
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "my own file"
    );
    // nothing beside it either: no temporary or previous generation left behind
    let beside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["mine"]);
    std::fs::remove_dir_all(&dir).ok();
}
