//! The guards' view of one simple command of a logical command: its environment assignments,
//! its `sudo`/`env` prefix, the command word and its arguments (raw text and literal value), its
//! redirections, and the operators around it, all with byte ranges into the command text so a
//! rewrite keeps every byte it does not touch.

use super::super::shell::{self, Tok, Token};

/// One word of a simple command.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    /// The word as written (quotes and expansions kept).
    pub raw: &'a str,
    /// Its value when it has no expansion (quotes removed).
    pub lit: Option<String>,
    pub start: usize,
    pub end: usize,
}

impl Word<'_> {
    /// The literal value, or "" when the word has an expansion.
    pub fn text(&self) -> &str {
        self.lit.as_deref().unwrap_or("")
    }
    /// Whether this word is exactly the literal `s`.
    pub fn is(&self, s: &str) -> bool {
        self.lit.as_deref() == Some(s)
    }
    /// Whether the word is an option (`-x`, `--x`), judged on its literal value.
    pub fn is_option(&self) -> bool {
        self.lit
            .as_deref()
            .is_some_and(|l| l.starts_with('-') && l.len() > 1)
    }
}

/// A redirection and the word it applies to.
#[derive(Debug, Clone)]
pub struct Redir<'a> {
    pub op: &'a str,
    pub target: Option<Word<'a>>,
}

/// One simple command of a `&&`/`||`/`;`/`|` list.
#[derive(Debug)]
pub struct Cmd<'a> {
    /// The whole logical command the simple command is part of.
    pub head: &'a str,
    pub start: usize,
    pub end: usize,
    /// Every word, prefix included (redirection targets excluded).
    pub words: Vec<Word<'a>>,
    /// Index in `words` of the command name (after assignments, `sudo` and `env`).
    pub at: usize,
    /// The user of a `sudo -u USER` prefix.
    pub user: Option<String>,
    pub redirs: Vec<Redir<'a>>,
    /// The operator before and after (`&&`, `||`, `|`, `;`, a newline, or "" at either end).
    pub prev: &'a str,
    pub next: &'a str,
    /// Start of the pipeline this command belongs to, and its end.
    pub pipe_start: usize,
    pub pipe_end: usize,
}

const RESERVED_WORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "{",
    "}", "function", "select", "[[", "]]", "!", "time", "coproc",
];

/// `sudo` options that take a value.
const SUDO_VALUE_OPTS: &[&str] = &[
    "-u",
    "-g",
    "-U",
    "-C",
    "-h",
    "-p",
    "-r",
    "-t",
    "-D",
    "-R",
    "-T",
    "--user",
    "--group",
    "--other-user",
    "--close-from",
    "--host",
    "--prompt",
    "--role",
    "--type",
    "--chdir",
    "--chroot",
    "--command-timeout",
];

fn is_assignment(raw: &str) -> bool {
    match raw.find('=') {
        Some(k) if k > 0 => {
            let name = &raw[..k];
            let name = name.strip_suffix('+').unwrap_or(name);
            let mut cs = name.chars();
            matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
                && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        _ => false,
    }
}

impl<'a> Cmd<'a> {
    /// The command name: the literal basename of the command word (`/usr/sbin/cephadm`,
    /// `$HADOOP_HOME/bin/hdfs` → `cephadm`, `hdfs`), or "" when there is no command.
    pub fn name(&self) -> &str {
        let Some(w) = self.words.get(self.at) else {
            return "";
        };
        if let Some(l) = &w.lit {
            return l.rsplit('/').next().unwrap_or(l);
        }
        let base = w.raw.rsplit('/').next().unwrap_or("");
        if base.contains(['$', '"', '\'', '`', '\\', '{', '}']) {
            ""
        } else {
            base
        }
    }

    /// The arguments after the command word.
    pub fn args(&self) -> &[Word<'a>] {
        self.words.get(self.at + 1..).unwrap_or(&[])
    }

    /// The literal of argument `i` (0 = first after the command word).
    pub fn arg(&self, i: usize) -> Option<&str> {
        self.args().get(i).and_then(|w| w.lit.as_deref())
    }

    /// Whether the command has no words (only assignments) or starts a compound command.
    pub fn is_compound(&self) -> bool {
        let Some(w) = self.words.first() else {
            return false;
        };
        RESERVED_WORDS.contains(&w.raw) || w.raw.ends_with("()")
    }

    /// The command's text.
    pub fn text(&self) -> &'a str {
        &self.head[self.start..self.end]
    }

    /// The text before the command word: assignments and `sudo`/`env` with their options.
    pub fn lead(&self) -> &'a str {
        match self.words.get(self.at) {
            Some(w) => &self.head[self.start..w.start],
            None => self.text(),
        }
    }

    /// The text from word `k` of the arguments (0 = first argument) to the end.
    pub fn from_arg(&self, k: usize) -> &'a str {
        match self.args().get(k) {
            Some(w) => &self.head[w.start..self.end],
            None => "",
        }
    }

    /// The command text with `text` inserted right after argument `k` (`None`: after the
    /// command word).
    pub fn insert_after(&self, k: Option<usize>, text: &str) -> String {
        let at = match k {
            Some(k) => self.args().get(k).map(|w| w.end),
            None => self.words.get(self.at).map(|w| w.end),
        }
        .unwrap_or(self.end);
        format!(
            "{}{text}{}",
            &self.head[self.start..at],
            &self.head[at..self.end]
        )
    }

    /// The command text with the byte range `[s, e)` (absolute) replaced by `text`.
    pub fn splice(&self, s: usize, e: usize, text: &str) -> String {
        format!(
            "{}{text}{}",
            &self.head[self.start..s],
            &self.head[e..self.end]
        )
    }

    /// Whether the command is part of a list or pipeline (then a guard needs braces).
    pub fn chained(&self) -> bool {
        !matches!(self.prev, "" | ";" | "\n") || !matches!(self.next, "" | ";" | "\n")
    }

    /// Whether the command is one side of a pipe.
    pub fn piped(&self) -> bool {
        matches!(self.prev, "|" | "|&") || matches!(self.next, "|" | "|&")
    }

    /// A short option letter in any cluster (`-xvzf` has `x`), or one of the long forms.
    pub fn has_flag(&self, short: char, long: &[&str]) -> bool {
        self.args().iter().any(|w| match w.lit.as_deref() {
            Some(l) if l.starts_with("--") => long.contains(&l),
            Some(l) if l.starts_with('-') && !l.starts_with("--") => l[1..].contains(short),
            _ => false,
        })
    }

    /// Whether any argument is exactly one of `names` (or `NAME=...` for long ones).
    pub fn has_option(&self, names: &[&str]) -> bool {
        self.opt(names).is_some() || self.args().iter().any(|w| names.iter().any(|n| w.is(n)))
    }

    /// The raw value of an option: `-o V`, `--out V`, `--out=V`.
    pub fn opt(&self, names: &[&str]) -> Option<&'a str> {
        let args = self.args();
        for (i, w) in args.iter().enumerate() {
            let Some(l) = w
                .lit
                .as_deref()
                .or_else(|| w.raw.split_once('=').map(|p| p.0))
            else {
                continue;
            };
            for n in names {
                if l == *n {
                    return args.get(i + 1).map(|v| v.raw);
                }
                if n.starts_with("--") && l.starts_with(n) && l[n.len()..].starts_with('=') {
                    return w.raw.split_once('=').map(|p| p.1);
                }
            }
        }
        None
    }

    /// The positional arguments, given the options that take a value (`--x=v` never does).
    pub fn positionals(&self, takes_value: &[&str]) -> Vec<&Word<'a>> {
        let mut out = Vec::new();
        let args = self.args();
        let mut i = 0;
        let mut options = true;
        while i < args.len() {
            let w = &args[i];
            if options && w.is("--") {
                options = false;
            } else if options && w.is_option() {
                if takes_value.contains(&w.text()) {
                    i += 1;
                }
            } else if options && w.lit.is_none() && w.raw.starts_with('-') {
                // an option with an expanded value (`--name=$X`)
            } else {
                out.push(w);
            }
            i += 1;
        }
        out
    }

    /// `FUNC CMD…`: the command run through a runtime function, its assignments kept in front
    /// (a `sudo` or `env` prefix is dropped: the runbook runs as root).
    pub fn wrap(&self, func: &str) -> String {
        let mut s = String::new();
        for w in self.words.iter().take(self.at) {
            if is_assignment(w.raw) {
                s.push_str(w.raw);
                s.push(' ');
            }
        }
        s.push_str(func);
        s.push(' ');
        if let Some(w) = self.words.get(self.at) {
            s.push_str(&self.head[w.start..self.end]);
        }
        s
    }

    /// The command with its command word (and prefix) replaced by `new`: `ln -s A B` →
    /// `rb_ln -s A B` (the runbook runs as root; assignments are kept).
    pub fn swap_command(&self, new: &str) -> String {
        let mut s = String::new();
        for w in self.words.iter().take(self.at) {
            if is_assignment(w.raw) {
                s.push_str(w.raw);
                s.push(' ');
            }
        }
        s.push_str(new);
        if let Some(w) = self.words.get(self.at) {
            s.push_str(&self.head[w.end..self.end]);
        }
        s
    }

    /// `QUERY || CMD`: run the command only when the query (that it was done) fails.
    pub fn unless(&self, query: &str) -> String {
        unless(query, self.text(), self.chained())
    }
}

/// `QUERY || TEXT`, in braces when part of a list or pipeline.
pub fn unless(query: &str, text: &str, chained: bool) -> String {
    if chained {
        format!("{{ {query} || {text}; }}")
    } else {
        format!("{query} || {text}")
    }
}

/// A literal as one shell word: as it is when it needs no quoting, else single-quoted.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c))
    {
        s.to_string()
    } else {
        runbook_core::quote::single(s)
    }
}

/// Split the tokens of a logical command into its simple commands.
pub fn simple_commands<'a>(head: &'a str, toks: &[Token]) -> Vec<Cmd<'a>> {
    let mut out: Vec<Cmd<'a>> = Vec::new();
    let mut prev: &'a str = "";
    let mut cur: Vec<&Token> = Vec::new();
    for t in toks {
        if t.kind == Tok::Op {
            let op = &head[t.start..t.end];
            if let Some(c) = build(head, &cur, prev, op) {
                out.push(c);
            }
            cur.clear();
            prev = op;
        } else {
            cur.push(t);
        }
    }
    if let Some(c) = build(head, &cur, prev, "") {
        out.push(c);
    }
    pipelines(&mut out);
    out
}

/// Set each command's pipeline range.
fn pipelines(cmds: &mut [Cmd]) {
    let mut i = 0;
    while i < cmds.len() {
        let mut j = i;
        while j + 1 < cmds.len() && matches!(cmds[j].next, "|" | "|&") {
            j += 1;
        }
        let (s, e) = (cmds[i].start, cmds[j].end);
        for c in &mut cmds[i..=j] {
            c.pipe_start = s;
            c.pipe_end = e;
        }
        i = j + 1;
    }
}

fn word<'a>(head: &'a str, t: &Token) -> Word<'a> {
    let raw = &head[t.start..t.end];
    Word {
        raw,
        lit: shell::literal(raw),
        start: t.start,
        end: t.end,
    }
}

fn build<'a>(head: &'a str, toks: &[&Token], prev: &'a str, next: &'a str) -> Option<Cmd<'a>> {
    let first = toks.first()?;
    let mut words = Vec::new();
    let mut redirs = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let t = toks[k];
        if t.kind == Tok::Redir {
            let target = toks
                .get(k + 1)
                .filter(|n| n.kind == Tok::Word)
                .map(|n| word(head, n));
            if target.is_some() {
                k += 1;
            }
            redirs.push(Redir {
                op: &head[t.start..t.end],
                target,
            });
        } else {
            words.push(word(head, t));
        }
        k += 1;
    }
    let (at, user) = command_word(&words);
    Some(Cmd {
        head,
        start: first.start,
        end: toks[toks.len() - 1].end,
        words,
        at,
        user,
        redirs,
        prev,
        next,
        pipe_start: 0,
        pipe_end: 0,
    })
}

/// The index of the command word after assignments, `sudo [OPTIONS]` and `env [A=B]...`, and
/// the user of `sudo -u USER`.
fn command_word(words: &[Word]) -> (usize, Option<String>) {
    let mut i = 0;
    let mut user = None;
    loop {
        while i < words.len() && is_assignment(words[i].raw) {
            i += 1;
        }
        match words.get(i).and_then(|w| w.lit.as_deref()) {
            Some("sudo") => {
                i += 1;
                while let Some(w) = words.get(i) {
                    let l = w.text();
                    if l == "--" {
                        i += 1;
                        break;
                    }
                    if !w.is_option() {
                        break;
                    }
                    if SUDO_VALUE_OPTS.contains(&l) {
                        if matches!(l, "-u" | "--user") {
                            user = words.get(i + 1).and_then(|u| u.lit.clone());
                        }
                        i += 1;
                    } else if let Some(u) = l.strip_prefix("--user=") {
                        user = Some(u.to_string());
                    }
                    i += 1;
                }
            }
            Some("env") => {
                i += 1;
                while words.get(i).is_some_and(|w| w.is_option()) {
                    i += 1;
                }
            }
            _ => return (i, user),
        }
    }
}
