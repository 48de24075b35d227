//! Syntax highlighting at build time, no JavaScript: small lexers for shell, ini and other
//! `key value` configuration files, SQL, YAML, JSON and Python that wrap tokens in
//! `<span class="hl-…">` and escape every piece of text they write.
//!
//! A block's language comes from its info string (`bash`, `console`, `ini`, `yaml`, …), else
//! from what the guide's step made of it (the file it edits, a command, SQL), else from its
//! prompts. In a shell or SQL session, prompts (`$`, `#`, `[root@controller ~]#`,
//! `(Controller)#`, `MariaDB [(none)]>`) are styled apart, and in a block whose commands carry
//! prompts the lines without one are output, as the extractor reads them.
//!
//! Classes: `hl-k` keyword, `hl-s` string, `hl-c` comment, `hl-n` number or literal,
//! `hl-v` variable, `hl-f` command, `hl-o` option, `hl-a` key, `hl-h` section, `hl-p` prompt,
//! `hl-out` output.

mod conf;
mod data;
mod prompt;
mod python;
mod shell;
mod sql;

use runbook_core::html::escape_into;

/// A language the site highlights.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    Shell,
    Ini,
    Sql,
    Yaml,
    Json,
    Python,
    /// Text left as it is (escaped).
    Plain,
}

impl Lang {
    /// Its name, as a block's `data-lang` gives it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Shell => "shell",
            Lang::Ini => "ini",
            Lang::Sql => "sql",
            Lang::Yaml => "yaml",
            Lang::Json => "json",
            Lang::Python => "python",
            Lang::Plain => "text",
        }
    }

    /// The language an info string names (its first word); `None` when it names none the site
    /// knows or says only "text".
    pub fn of_info(info: &str) -> Option<Lang> {
        let word = info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("")
            .trim_start_matches('.')
            .to_ascii_lowercase();
        Some(match word.as_str() {
            "bash" | "sh" | "shell" | "zsh" | "console" | "shell-session" | "shellsession"
            | "terminal" | "session" | "ksh" => Lang::Shell,
            "ini" | "conf" | "cfg" | "cnf" | "config" | "toml" | "properties" | "dosini"
            | "systemd" | "apache" | "nginx" | "env" | "dotenv" => Lang::Ini,
            "sql" | "mysql" | "mariadb" | "psql" | "postgresql" | "plsql" => Lang::Sql,
            "yaml" | "yml" => Lang::Yaml,
            "json" | "jsonc" | "json5" => Lang::Json,
            "python" | "py" | "python3" | "py3" => Lang::Python,
            _ => return None,
        })
    }

    /// The language of a file, by its name.
    pub fn of_path(path: &str) -> Lang {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "yaml" | "yml" => Lang::Yaml,
            "json" => Lang::Json,
            "py" => Lang::Python,
            "sql" => Lang::Sql,
            "sh" | "bash" => Lang::Shell,
            _ => Lang::Ini,
        }
    }
}

/// How a block's lines are read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reading {
    /// Commands typed at a prompt, with the output they print (a guide's block).
    Session,
    /// Source text only (a file's content, the runbook's bash).
    Source,
}

/// Write `code` highlighted as `lang` into `out` (escaped). `nodes` are the plan's node names,
/// which also make prompts (`controller# `).
pub fn highlight(out: &mut String, code: &str, lang: Lang, reading: Reading, nodes: &[String]) {
    let session = reading == Reading::Session;
    match lang {
        Lang::Shell if session => shell::session(out, code, nodes),
        Lang::Shell => shell::source(out, code),
        Lang::Sql if session => sql::session(out, code),
        Lang::Sql => sql::source(out, code),
        Lang::Ini => conf::ini(out, code),
        Lang::Yaml => data::yaml(out, code),
        Lang::Json => data::json(out, code),
        Lang::Python => python::python(out, code),
        Lang::Plain => escape_into(out, code),
    }
}

/// The language of a block with no info string the site knows: a shell or SQL session if its
/// lines carry prompts, else plain text.
pub fn sniff(code: &str, nodes: &[String]) -> Lang {
    for line in code.lines().take(40) {
        match prompt::read(line, nodes) {
            Some(p) if p.sql => return Lang::Sql,
            Some(_) => return Lang::Shell,
            None => {}
        }
    }
    Lang::Plain
}

/// The opening tags of the token classes.
mod tok {
    pub const KW: &str = "<span class=\"hl-k\">";
    pub const STR: &str = "<span class=\"hl-s\">";
    pub const COM: &str = "<span class=\"hl-c\">";
    pub const NUM: &str = "<span class=\"hl-n\">";
    pub const VAR: &str = "<span class=\"hl-v\">";
    pub const CMD: &str = "<span class=\"hl-f\">";
    pub const OPT: &str = "<span class=\"hl-o\">";
    pub const KEY: &str = "<span class=\"hl-a\">";
    pub const SEC: &str = "<span class=\"hl-h\">";
    pub const PROMPT: &str = "<span class=\"hl-p\">";
    pub const OUT: &str = "<span class=\"hl-out\">";
}

/// `text` in a span opened by `open` (one of [`tok`]; nothing for empty text).
fn span(out: &mut String, open: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    out.push_str(open);
    escape_into(out, text);
    out.push_str("</span>");
}

/// The lines of `code`, each with its line break (the last may have none).
fn lines(code: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = code;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, nl, next) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(k) => match rest[..k].strip_suffix('\r') {
                Some(body) => (body, "\r\n", k + 1),
                None => (&rest[..k], "\n", k + 1),
            },
            None => (rest, "", rest.len()),
        };
        rest = &rest[next..];
        Some((line, nl))
    })
}

/// The end of a run of bytes from `from` for which `f` holds.
fn run_end(b: &[u8], from: usize, f: impl Fn(u8) -> bool) -> usize {
    let mut i = from;
    while i < b.len() && f(b[i]) {
        i += 1;
    }
    i
}

/// The end of a quoted string opening at `from` (`b[from]` is the quote): after its closing
/// quote, or the end of the text; backslash escapes when `escapes`.
fn quoted_end(b: &[u8], from: usize, escapes: bool) -> (usize, bool) {
    let q = b[from];
    let mut i = from + 1;
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            return (i + 1, true);
        }
        i += 1;
    }
    (b.len(), false)
}

/// A number at `from` (digits, `.`, `_`, hex and exponent letters), or `None`.
fn number_end(b: &[u8], from: usize) -> Option<usize> {
    if !b[from].is_ascii_digit() {
        return None;
    }
    let end = run_end(b, from, |c| {
        c.is_ascii_alphanumeric() || c == b'.' || c == b'_'
    });
    Some(end)
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(code: &str, lang: Lang, reading: Reading) -> String {
        let mut out = String::new();
        highlight(&mut out, code, lang, reading, &["controller".to_string()]);
        out
    }

    /// Highlighting only adds spans: without them the text is the escaped code.
    fn text_of(html: &str) -> String {
        let mut s = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => s.push(c),
                _ => {}
            }
        }
        s
    }

    #[test]
    fn every_language_keeps_the_text() {
        let code = "a <b> & \"c\" 'd' # e\n[x]\nkey = v\n-- s\n{\"k\": [1, true]}\n\"\"\"\nx\n\"\"\"\n$ ls -l $HOME <<EOF\nbody\nEOF\n";
        let escaped = runbook_core::html::escape(code);
        for lang in [
            Lang::Shell,
            Lang::Ini,
            Lang::Sql,
            Lang::Yaml,
            Lang::Json,
            Lang::Python,
            Lang::Plain,
        ] {
            for reading in [Reading::Session, Reading::Source] {
                let out = hl(code, lang, reading);
                assert_eq!(text_of(&out), text_of(&escaped), "{lang:?} {reading:?}");
                assert!(!out.contains("<b>"), "{lang:?} escapes");
            }
        }
    }

    #[test]
    fn info_strings_and_paths() {
        assert_eq!(Lang::of_info("console"), Some(Lang::Shell));
        assert_eq!(Lang::of_info("Bash title=x"), Some(Lang::Shell));
        assert_eq!(Lang::of_info("yml"), Some(Lang::Yaml));
        assert_eq!(Lang::of_info("text"), None);
        assert_eq!(Lang::of_path("/etc/nova/nova.conf"), Lang::Ini);
        assert_eq!(Lang::of_path("/etc/kolla/globals.yml"), Lang::Yaml);
        assert_eq!(
            sniff("[root@controller ~]# ls\nfile\n", &[]),
            Lang::Shell,
            "a prompt makes a session"
        );
        assert_eq!(sniff("MariaDB [(none)]> SHOW DATABASES;", &[]), Lang::Sql);
        assert_eq!(sniff("just text", &[]), Lang::Plain);
    }

    #[test]
    fn shell_sessions() {
        let out = hl(
            "[root@controller ~]# yum install -y chrony # time\nInstalled: chrony\n$ echo \"$HOME\" 'x'\n",
            Lang::Shell,
            Reading::Session,
        );
        assert!(
            out.contains("<span class=\"hl-p\">[root@controller ~]# </span>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"hl-f\">yum</span>"), "{out}");
        assert!(out.contains("<span class=\"hl-o\">-y</span>"), "{out}");
        assert!(out.contains("<span class=\"hl-c\"># time</span>"), "{out}");
        assert!(
            out.contains("<span class=\"hl-out\">Installed: chrony</span>"),
            "{out}"
        );
        assert!(
            out.contains("<span class=\"hl-s\">&quot;$HOME&quot;</span>"),
            "{out}"
        );
        let out = hl(
            "cat > /etc/x <<'EOF'\nkey=$NOT\nEOF\nsystemctl enable --now x\n",
            Lang::Shell,
            Reading::Session,
        );
        assert!(
            out.contains("<span class=\"hl-s\">key=$NOT</span>"),
            "{out}"
        );
        assert!(
            out.contains("<span class=\"hl-f\">systemctl</span>"),
            "{out}"
        );
        assert!(
            !out.contains("hl-out"),
            "no prompts: no output lines: {out}"
        );
        let out = hl("controller# ls\n# 주석\n", Lang::Shell, Reading::Session);
        assert!(
            out.contains("<span class=\"hl-p\">controller# </span>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"hl-c\"># 주석</span>"), "{out}");
    }

    #[test]
    fn ini_sql_yaml_json_python() {
        let out = hl(
            "[database]\n# c\nconnection = mysql+pymysql://x\nserver a iburst\n",
            Lang::Ini,
            Reading::Source,
        );
        assert!(
            out.contains("<span class=\"hl-h\">[database]</span>"),
            "{out}"
        );
        assert!(
            out.contains("<span class=\"hl-a\">connection</span>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"hl-c\"># c</span>"), "{out}");
        assert!(out.contains("<span class=\"hl-a\">server</span>"), "{out}");
        let out = hl(
            "MariaDB [(none)]> CREATE DATABASE x;\nQuery OK, 1 row affected\n",
            Lang::Sql,
            Reading::Session,
        );
        assert!(
            out.contains("<span class=\"hl-p\">MariaDB [(none)]&gt; </span>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"hl-k\">CREATE</span>"), "{out}");
        assert!(
            out.contains("<span class=\"hl-out\">Query OK, 1 row affected</span>"),
            "{out}"
        );
        let out = hl(
            "a:\n  - b: 'c' # d\n  e: true\n",
            Lang::Yaml,
            Reading::Source,
        );
        assert!(out.contains("<span class=\"hl-a\">b</span>"), "{out}");
        assert!(
            out.contains("<span class=\"hl-s\">&#39;c&#39;</span>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"hl-n\">true</span>"), "{out}");
        let out = hl("{\"k\": 1, \"v\": \"s\"}", Lang::Json, Reading::Source);
        assert!(
            out.contains("<span class=\"hl-a\">&quot;k&quot;</span>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"hl-n\">1</span>"), "{out}");
        let out = hl(
            "def f(x):\n    return 'y'  # z\n",
            Lang::Python,
            Reading::Source,
        );
        assert!(out.contains("<span class=\"hl-k\">def</span>"), "{out}");
        assert!(out.contains("<span class=\"hl-f\">f</span>"), "{out}");
    }
}
