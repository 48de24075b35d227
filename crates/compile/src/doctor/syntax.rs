//! `shell-syntax` (RB008): a command step bash cannot parse — a quote left open, an `if`
//! without its `fi`, a `)` too many. The runbook would stop there.
//!
//! bash reads the text as a parser only (`bash -n`, from standard input, with no startup
//! file): nothing of the guide runs. To spend one process on a whole guide rather than one per
//! step, the steps are parsed together, each as the body of a function of its own; a group
//! that fails is split in halves until the failing steps are found, and each of those is then
//! parsed alone.
//!
//! Two kinds of text are not the author's slip and are left alone: a placeholder in angle
//! brackets the reader fills in (`--token <토큰값>`), parsed as a word; and a line of Korean
//! prose that extraction took for a command (`ceph key값을 … 추가 함 (server)`).

use super::Finding;
use runbook_core::model::{Kind, Step};
use std::io::Write;
use std::process::{Command, Stdio};

/// What `bash -n` said about a text: None when bash cannot be run.
fn parse(text: &str) -> Option<Result<(), String>> {
    let mut cmd = Command::new("bash");
    cmd.args(["--norc", "--noprofile", "-n"])
        .env_clear()
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(p) = std::env::var_os("PATH") {
        cmd.env("PATH", p);
    }
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
    let first = err
        .lines()
        .next()
        .unwrap_or("syntax error")
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
        let word = after
            .find('>')
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

/// The steps as one script, each the body of its own function (never called).
fn together(steps: &[&Step]) -> String {
    let mut s = String::new();
    for (k, st) in steps.iter().enumerate() {
        s.push_str(&format!("__runbook_step_{k}() {{\n:\n"));
        s.push_str(&text_of(&st.run));
        s.push_str("\n}\n");
    }
    s
}

/// Find the steps of `steps` bash rejects.
fn bisect<'p>(steps: &[&'p Step], bad: &mut Vec<(&'p Step, String)>) {
    match steps {
        [] => {}
        [one] => {
            let text = text_of(&one.run);
            if let Some(Err(e)) = parse(&text) {
                if !prose_line(&text, &e) {
                    bad.push((one, e));
                }
            }
        }
        _ => {
            if !matches!(parse(&together(steps)), Some(Err(_))) {
                return;
            }
            let (a, b) = steps.split_at(steps.len() / 2);
            bisect(a, bad);
            bisect(b, bad);
        }
    }
}

pub(crate) fn check(steps: &[Step]) -> Vec<Finding<'_>> {
    let shell: Vec<&Step> = steps
        .iter()
        .filter(|s| matches!(s.kind(), Kind::Command | Kind::Verify) && !s.run.trim().is_empty())
        .collect();
    let mut bad = Vec::new();
    bisect(&shell, &mut bad);
    bad.into_iter()
        .map(|(s, e)| {
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
        // a placeholder to fill in, and Korean prose read as a command: not the author's slip
        steps.push(step(
            "p",
            &["a"],
            "kubeadm join 10.0.0.1:6443 --token <토큰값> --hash sha256:<해시값>\n",
        ));
        steps.push(step("k", &["a"], "ceph key값을 Hosts에 추가 함 (server)\n"));
        let found: Vec<String> = check(&steps).iter().map(|f| f.step.id.clone()).collect();
        assert_eq!(found, ["s3", "s7"]);
    }
}
