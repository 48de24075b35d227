//! Users, roles and databases created through a database or broker client, one-liners included.

use super::super::cmd::{Cmd, Word};
use super::super::Guard;
use regex::Regex;
use std::sync::OnceLock;

/// A word that is one quoted string (or a plain word): its quote and its body. None when the
/// body holds its own quote or a backslash (then a rewrite could change its meaning).
pub(super) fn quoted_body(raw: &str) -> Option<(&str, &str)> {
    for q in ["\"", "'"] {
        if let Some(body) = raw.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            if body.contains(q) || body.contains('\\') {
                return None;
            }
            return Some((q, body));
        }
    }
    if raw.contains(['"', '\'', '\\']) {
        None
    } else {
        Some(("", raw))
    }
}

/// The value of an option that takes one (`-e SQL`, `--execute SQL`, `--execute=SQL`).
struct OptValue<'a> {
    /// Argument indices of the option word and of the word holding the value (the same for
    /// `--execute=SQL`).
    opt: usize,
    value: usize,
    /// Byte range and raw text of the value.
    start: usize,
    end: usize,
    raw: &'a str,
}

fn option_value<'a>(c: &'a Cmd, short: &str, long: &str) -> Option<OptValue<'a>> {
    let args = c.args();
    let prefix = format!("{long}=");
    for (i, w) in args.iter().enumerate() {
        if w.is(short) || w.is(long) {
            let v = args.get(i + 1)?;
            return Some(OptValue {
                opt: i,
                value: i + 1,
                start: v.start,
                end: v.end,
                raw: v.raw,
            });
        }
        if let Some(v) = w.raw.strip_prefix(&prefix) {
            let start = w.start + prefix.len();
            return Some(OptValue {
                opt: i,
                value: i,
                start,
                end: w.end,
                raw: v,
            });
        }
    }
    None
}

/// The client word and every argument but the option `v`, as written.
fn client_without(c: &Cmd, v: &OptValue) -> String {
    let mut s = c.head[c.words[c.at].start..c.words[c.at].end].to_string();
    for (i, w) in c.args().iter().enumerate() {
        if i != v.opt && i != v.value {
            s.push(' ');
            s.push_str(w.raw);
        }
    }
    s
}

/// `mysql … -e "CREATE DATABASE x; CREATE USER …"`: the statements get `IF NOT EXISTS`.
pub fn mysql_execute(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "mysql" | "mariadb") {
        return None;
    }
    let v = option_value(c, "-e", "--execute")?;
    let (q, body) = quoted_body(v.raw)?;
    let sql = super::super::super::add_if_exists(body);
    if sql == body {
        return None;
    }
    Some(Guard::Replace(c.splice(
        v.start,
        v.end,
        &format!("{q}{sql}{q}"),
    )))
}

/// A PostgreSQL name as the catalog stores it: unquoted names fold to lower case; `$VAR` stays
/// for the shell to expand (inside the query's double quotes).
fn pg_name(name: &str, expands: bool) -> Option<String> {
    if let Some(q) = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        return safe_name(q).then(|| q.to_string());
    }
    if name.starts_with('$') {
        return expands.then(|| name.to_string());
    }
    safe_name(name).then(|| name.to_ascii_lowercase())
}

fn safe_name(n: &str) -> bool {
    !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The catalog query telling whether a role or database exists.
fn pg_exists(object: &str, name: &str) -> String {
    let (table, column) = if object.eq_ignore_ascii_case("database") {
        ("pg_database", "datname")
    } else {
        ("pg_roles", "rolname")
    };
    format!("\"SELECT 1 FROM {table} WHERE {column}='{name}'\" | grep -q 1")
}

fn create_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)^\s*CREATE\s+(ROLE|USER|DATABASE)\s+("[^"]*"|\$\{?\w+\}?|\w+)"#)
            .expect("valid regex")
    })
}

/// `psql … -c "CREATE ROLE|USER|DATABASE NAME …"` (PostgreSQL has no IF NOT EXISTS for these):
/// the same client, user and connection first ask the catalog.
pub fn psql_create(c: &Cmd) -> Option<Guard> {
    if c.name() != "psql" {
        return None;
    }
    let v = option_value(c, "-c", "--command")?;
    let (q, body) = quoted_body(v.raw)?;
    let sql = body.trim().trim_end_matches(';');
    if sql.contains(';') {
        return None;
    }
    let m = create_re().captures(sql)?;
    let name = pg_name(&m[2], q == "\"")?;
    let query = pg_exists(&m[1], &name);
    Some(Guard::Unless(format!(
        "{}{} -tAc {query}",
        c.lead(),
        client_without(c, &v)
    )))
}

/// `createuser`/`createdb [OPTIONS] NAME`: fail when NAME exists.
pub fn pg_tool(c: &Cmd) -> Option<Guard> {
    const CONN: &[&str] = &["-h", "--host", "-p", "--port", "-U", "--username"];
    const VALUES: &[&str] = &[
        "-c",
        "--connection-limit",
        "-g",
        "--role",
        "-D",
        "--tablespace",
        "-E",
        "--encoding",
        "-l",
        "--locale",
        "--lc-collate",
        "--lc-ctype",
        "--icu-locale",
        "--locale-provider",
        "-O",
        "--owner",
        "-S",
        "--strategy",
        "-T",
        "--template",
        "--maintenance-db",
    ];
    let object = match c.name() {
        "createuser" => "role",
        "createdb" => "database",
        _ => return None,
    };
    let takes: Vec<&str> = CONN.iter().chain(VALUES).copied().collect();
    let first = *c.positionals(&takes).first()?;
    let name = word_name(first)?;
    let mut conn = String::new();
    for k in [["-h", "--host"], ["-p", "--port"], ["-U", "--username"]] {
        if let Some(v) = c.opt(&k) {
            conn.push_str(&format!(" {} {v}", k[0]));
        }
    }
    let query = pg_exists(object, &name);
    Some(Guard::Unless(format!(
        "{}psql{conn} -d postgres -tAc {query}",
        c.lead()
    )))
}

/// A name word as text for a double-quoted query: a safe literal, or a plain `$VAR`.
fn word_name(w: &Word) -> Option<String> {
    if let Some(l) = &w.lit {
        return safe_name(l).then(|| l.clone());
    }
    let v = w.raw.trim_matches('"');
    let var = v.strip_prefix("${").and_then(|x| x.strip_suffix('}'));
    let var = var.or_else(|| v.strip_prefix('$'))?;
    (!var.is_empty() && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| v.to_string())
}

fn mongo_res() -> &'static (Regex, Regex) {
    static RE: OnceLock<(Regex, Regex)> = OnceLock::new();
    RE.get_or_init(|| {
        (
            Regex::new(r#"createUser\s*\(\s*\{\s*["']?user["']?\s*:\s*["']([\w.@-]+)["']"#)
                .expect("valid regex"),
            Regex::new(r#"getSiblingDB\(\s*["']([\w-]+)["']\s*\)"#).expect("valid regex"),
        )
    })
}

/// `mongo|mongosh [DB] … --eval 'db.createUser({user: "NAME", …})'`: fails when NAME exists.
pub fn mongo_create_user(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "mongo" | "mongosh") {
        return None;
    }
    let v = option_value(c, "--eval", "--eval")?;
    let (_, js) = quoted_body(v.raw)?;
    let (user_re, db_re) = mongo_res();
    let user = user_re.captures(js)?[1].to_string();
    let takes = [
        "--host",
        "--port",
        "-u",
        "--username",
        "-p",
        "--password",
        "--authenticationDatabase",
        "--authenticationMechanism",
        "--eval",
    ];
    let db = match db_re.captures(js) {
        Some(m) => m[1].to_string(),
        None => match c.positionals(&takes).first().and_then(|w| w.lit.as_deref()) {
            Some(addr) => addr.rsplit('/').next().unwrap_or(addr).to_string(),
            None => "test".to_string(),
        },
    };
    if !safe_name(&db) {
        return None;
    }
    Some(Guard::Unless(format!(
        "{}{} --quiet --eval 'db.getSiblingDB(\"{db}\").getUser(\"{user}\")' | grep -qF -- {user}",
        c.lead(),
        client_without(c, &v)
    )))
}

/// `rabbitmqctl add_user U P`, `add_vhost V`: fail when they exist. `set_permissions`,
/// `set_user_tags` and `change_password` set a value and repeat safely.
pub fn rabbitmq(c: &Cmd) -> Option<Guard> {
    if c.name() != "rabbitmqctl" {
        return None;
    }
    let args = c.args();
    let mut i = 0;
    while i < args.len() {
        match args[i].lit.as_deref() {
            Some("-p" | "-n" | "--vhost" | "--node") => i += 2,
            Some(l) if l.starts_with('-') => i += 1,
            Some(_) => break,
            None => return None,
        }
    }
    let sub = args.get(i)?.text();
    let first = args.get(i + 1).map(|w| w.raw);
    let lead = c.lead();
    match sub {
        "add_user" => Some(Guard::Unless(format!(
            "{lead}rabbitmqctl list_users 2>/dev/null | cut -f1 | grep -qxF -- {}",
            first?
        ))),
        "add_vhost" => Some(Guard::Unless(format!(
            "{lead}rabbitmqctl list_vhosts 2>/dev/null | grep -qxF -- {}",
            first?
        ))),
        "set_permissions" | "set_user_tags" | "change_password" | "set_policy" => {
            Some(Guard::Idempotent)
        }
        _ => None,
    }
}
