//! The doctor's view of a step's shell text: its simple commands, each with its name, its
//! arguments (literal where they have no expansion), its redirections and the heredoc bodies
//! of its line, read with the same splitter the runbooks' guards use.
//!
//! The runbook helpers the guards put in `run` are read as what they stand for: `rb_ln` is
//! `ln`, `rb_write FILE` / `rb_append FILE` write FILE, `rb_ok_if_exists CMD…` runs CMD.

use crate::runtext::guards::cmd::{simple_commands, Cmd};
use crate::runtext::shell::{split, tokens};

/// One simple command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Simple {
    /// The command name (basename of the command word), `""` when it is an expansion.
    pub name: String,
    /// The command word as written (`./install.sh`, `/opt/kafka/bin/kafka-server-start.sh`).
    pub word: String,
    /// The arguments: the literal value, or the word as written with outer quotes removed.
    pub args: Vec<String>,
    /// Assignments before the command word (`K3S_URL=https://…`).
    pub assigns: Vec<String>,
    /// Redirections: operator and target (`>`, `/etc/hosts`).
    pub redirs: Vec<(String, String)>,
    /// The heredoc bodies of the command's line (what `cat <<EOF > FILE` writes).
    pub body: String,
    /// Whether the command reads the previous command's output through a pipe.
    pub piped: bool,
}

impl Simple {
    /// Whether argument `i` is `s`.
    pub fn arg_is(&self, i: usize, s: &str) -> bool {
        self.args.get(i).is_some_and(|a| a == s)
    }

    /// The value of an option given as `--name VALUE`, `--name=VALUE` or `-x VALUE`.
    pub fn opt(&self, names: &[&str]) -> Option<&str> {
        let mut it = self.args.iter();
        while let Some(a) = it.next() {
            for n in names {
                if a == n {
                    return it.next().map(String::as_str);
                }
                if let Some(v) = a.strip_prefix(n).and_then(|r| r.strip_prefix('=')) {
                    if n.starts_with("--") {
                        return Some(v);
                    }
                }
            }
        }
        None
    }

    /// The arguments that are no option and no option's value, given the options that take one.
    pub fn positionals(&self, takes_value: &[&str]) -> Vec<&str> {
        let mut out = Vec::new();
        let mut skip = false;
        for a in &self.args {
            if skip {
                skip = false;
                continue;
            }
            if a.starts_with('-') && a.len() > 1 {
                skip = takes_value.contains(&a.as_str());
                continue;
            }
            out.push(a.as_str());
        }
        out
    }

    /// The files written by `>`, `>>`, `&>` redirections (not `/dev/…`, not fd duplications).
    pub fn written(&self) -> impl Iterator<Item = &str> {
        self.redirs
            .iter()
            .filter(|(op, t)| {
                let op = op.trim_start_matches(|c: char| c.is_ascii_digit());
                matches!(op, ">" | ">>" | ">|" | "&>" | "&>>") && !t.starts_with("/dev/")
            })
            .map(|(_, t)| t.as_str())
    }

    /// The files read by `<` redirections.
    pub fn read(&self) -> impl Iterator<Item = &str> {
        self.redirs
            .iter()
            .filter(|(op, _)| op.trim_start_matches(|c: char| c.is_ascii_digit()) == "<")
            .map(|(_, t)| t.as_str())
    }
}

/// Shell reserved words that may open a simple command inside a compound one (`do ssh $h`).
const OPENERS: &[&str] = &[
    "then", "do", "else", "elif", "if", "while", "until", "{", "!", "time",
];

/// The simple commands of a step's shell text, in order.
pub fn simple(text: &str) -> Vec<Simple> {
    let mut out = Vec::new();
    for unit in split(text) {
        if !unit.parsed {
            continue;
        }
        let Some(toks) = tokens(&unit.head) else {
            continue;
        };
        for c in simple_commands(&unit.head, &toks) {
            if let Some(s) = view(&c, &unit.bodies) {
                out.push(s);
            }
        }
    }
    out
}

/// A word's value: its literal, else the word as written without its outer quotes.
fn value(raw: &str, lit: Option<&String>) -> String {
    if let Some(l) = lit {
        return l.clone();
    }
    let t = raw.trim();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    t.to_string()
}

fn view(c: &Cmd, bodies: &str) -> Option<Simple> {
    let mut words: Vec<String> = c
        .words
        .iter()
        .map(|w| value(w.raw, w.lit.as_ref()))
        .collect();
    let assigns: Vec<String> = words.drain(..c.at.min(words.len())).collect();
    while words.first().is_some_and(|w| OPENERS.contains(&w.as_str())) {
        words.remove(0);
    }
    if words.is_empty() && assigns.is_empty() {
        return None;
    }
    let mut s = Simple {
        name: String::new(),
        word: String::new(),
        args: Vec::new(),
        assigns,
        redirs: c
            .redirs
            .iter()
            .filter_map(|r| {
                let t = r.target.as_ref()?;
                Some((r.op.to_string(), value(t.raw, t.lit.as_ref())))
            })
            .collect(),
        body: bodies.to_string(),
        piped: matches!(c.prev, "|" | "|&"),
    };
    if !words.is_empty() {
        let first = words.remove(0);
        s.name = first.rsplit('/').next().unwrap_or(&first).to_string();
        s.word = first;
        s.args = words;
    }
    Some(unwrap_helpers(s))
}

/// Read the runbook helpers the guards write as the commands they stand for.
fn unwrap_helpers(mut s: Simple) -> Simple {
    match s.name.as_str() {
        "rb_ok_if_exists" | "rb_ok_if_gone" | "rb_once" if !s.args.is_empty() => {
            let first = s.args.remove(0);
            s.name = first.rsplit('/').next().unwrap_or(&first).to_string();
            s.word = first;
        }
        "rb_ln" => s.name = "ln".into(),
        "rb_ssh_copy_id" => s.name = "ssh-copy-id".into(),
        "rb_extracted" => {
            // rb_extracted ARCHIVE [DIR]: tar -x -f ARCHIVE [-C DIR]
            let mut args = vec!["-x".to_string(), "-f".to_string()];
            let mut it = std::mem::take(&mut s.args).into_iter();
            if let Some(a) = it.next() {
                args.push(a);
            }
            if let Some(d) = it.next() {
                args.push("-C".into());
                args.push(d);
            }
            s.name = "tar".into();
            s.args = args;
        }
        "rb_write" | "rb_append" => {
            // rb_write FILE <<EOF: the body is written to FILE
            if let Some(f) = s.args.first().cloned() {
                let op = if s.name == "rb_append" { ">>" } else { ">" };
                s.redirs.push((op.into(), f));
            }
            s.name = "tee".into();
            s.args.clear();
        }
        _ => {}
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_with_their_arguments_and_redirections() {
        let v = simple("sudo yum install -y chrony && systemctl enable --now chronyd\n");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].name, "yum");
        assert_eq!(v[0].args, ["install", "-y", "chrony"]);
        assert_eq!(v[1].opt(&["--now"]), Some("chronyd"));
        let v = simple("cat <<EOF > /etc/hosts\n10.0.0.11 controller\nEOF\n");
        assert_eq!(v[0].written().collect::<Vec<_>>(), ["/etc/hosts"]);
        assert!(v[0].body.contains("10.0.0.11 controller"));
        let v = simple("for h in a b; do ssh \"$h\" hostname; done");
        assert!(v.iter().any(|c| c.name == "ssh"), "{v:?}");
    }

    #[test]
    fn helpers_read_as_what_they_stand_for() {
        let v = simple("rb_ln -s /a /b\nrb_ok_if_exists openstack role add x\n");
        assert_eq!(v[0].name, "ln");
        assert_eq!(v[1].name, "openstack");
        assert_eq!(v[1].args[0], "role");
        let v = simple("rb_write /root/x <<'E'\nexport A=1\nE\n");
        assert_eq!(v[0].written().collect::<Vec<_>>(), ["/root/x"]);
        let v = simple("rb_extracted kafka.tgz /opt");
        assert_eq!(v[0].name, "tar");
        assert_eq!(v[0].opt(&["-f"]), Some("kafka.tgz"));
        let v = simple("openstack user create --password \"${GLANCE_PASS}\" glance");
        assert_eq!(v[0].opt(&["--password"]), Some("${GLANCE_PASS}"));
    }
}
