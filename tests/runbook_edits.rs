//! The runbook's line editor (`rb_lines`'s awk program, taken from the runtime itself) on files
//! as guides edit them: assignments, directives and YAML keys are replaced where they are,
//! commented lines stay as hints, and a second edit changes nothing.

use std::path::PathBuf;
use std::process::Command;

/// The awk program of `rb_lines`, as the runtime defines it.
fn program() -> String {
    let prelude = runbook::render::runbook::PRELUDE;
    let start = prelude.find("RB_AWK_LINES='").expect("RB_AWK_LINES") + "RB_AWK_LINES='".len();
    let end = start + prelude[start..].find("\n'\n").expect("end of RB_AWK_LINES");
    prelude[start..end].to_string()
}

/// `file` edited with `+line`/`-line` data, as `rb_lines` does.
fn edit(file: &str, data: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "runbook-edits-{}-{}",
        std::process::id(),
        data.len() + file.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let (d, f) = (dir.join("data"), dir.join("file"));
    std::fs::write(&d, data).unwrap();
    std::fs::write(&f, file).unwrap();
    let out = Command::new("awk")
        .env("LC_ALL", "C")
        .arg(program())
        .arg(&d)
        .arg(&f)
        .output()
        .expect("awk runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn yaml_keys_are_replaced_where_they_are() {
    let yml = "cluster.name: es\n#node.master: true\nnode.master: false\npath.data: /var/lib/es\n";
    let once = edit(yml, "+node.master: true\n+node.data: false\n");
    assert_eq!(
        once,
        "cluster.name: es\n#node.master: true\nnode.master: true\npath.data: /var/lib/es\nnode.data: false\n"
    );
    assert_eq!(edit(&once, "+node.master: true\n+node.data: false\n"), once);
}

#[test]
fn assignments_and_directives_are_replaced() {
    let conf = "SELINUX=enforcing\nport 6379\n#bind 127.0.0.1\n";
    let once = edit(conf, "+SELINUX=permissive\n+port 5000\n+bind 0.0.0.0\n");
    assert_eq!(
        once,
        "SELINUX=permissive\nport 5000\n#bind 127.0.0.1\nbind 0.0.0.0\n"
    );
    assert_eq!(
        edit(&once, "+SELINUX=permissive\n+port 5000\n+bind 0.0.0.0\n"),
        once
    );
}
