//! Guards for commands that fail or double when run twice.
//!
//! Works on the normalised command text logical command by logical command ([`super::shell`]);
//! inside a command, on each simple command of a `&&`/`||`/`;`/`|` list. Shapes handled:
//!
//! | command | becomes |
//! |---|---|
//! | `openstack X create ... NAME` (user, project, domain, role, network, flavor, image, ...) | `openstack X show [--domain D] NAME >/dev/null 2>&1 \|\| <cmd>` |
//! | `openstack service create --name N TYPE` | guarded by `openstack service show N` |
//! | `openstack endpoint create --region R S I URL` | guarded by a non-empty `openstack endpoint list --service S --interface I --region R` |
//! | `openstack role add --project P --user U R` | guarded by a non-empty `openstack role assignment list` |
//! | `openstack security group rule create ...` | `rb_ok_if_exists <cmd>` (a duplicate rule's 409 counts as done) |
//! | `rabbitmqctl add_user U P`, `add_vhost V` | guarded by `list_users` / `list_vhosts` |
//! | `useradd ... U`, `groupadd ... G` | guarded by `id -u U` / `getent group G` |
//! | `nova-manage cell_v2 create_cell --name=N` (also inside `su -c "..."`) | guarded by `list_cells` |
//! | `mkdir DIR` | `mkdir -p DIR` |
//! | `wget URL` (no -O/-N/-c/-nc) | `wget -nc URL` (no NAME.1 on a second run) |
//! | `ssh-keygen ... -f FILE` | `[ -e FILE ] \|\| ssh-keygen ...` |
//! | `ln -s T L` | `rb_ln -s T L` (nothing when L already points to T) |
//! | `cat >> F <<EOF`, `tee -a F`, `echo ... >> F` | `rb_append F` (appends only the lines not yet there) |
//! | `cat > F <<EOF`, `tee F` | `rb_write F` (atomic, only when different, original kept) |
//!
//! A simple command after `||` is a fallback and stays as it is (this also makes the rewrite
//! idempotent). Compound commands (`if`, `for`, `(`...`)`, functions) pass through unchanged, as
//! does anything the splitter cannot read.

use super::shell::{self, Tok, Token};

/// Guard every logical command of a command step's text.
pub fn guard(text: &str) -> String {
    let mut units = shell::split(text);
    for u in units.iter_mut() {
        if !u.parsed {
            continue;
        }
        if let Some(h) = guard_head(&u.head) {
            u.head = h;
        }
    }
    shell::join(&units)
}

const RESERVED_WORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "{",
    "}", "function", "select", "[[", "]]", "!", "time", "coproc",
];

/// One simple command of a list.
struct Elem {
    start: usize,
    end: usize,
    /// (start, end) of each word that is not a redirection target
    words: Vec<(usize, usize)>,
    /// (operator text, target word range)
    redirs: Vec<(String, Option<(usize, usize)>)>,
    prev: String,
    next: String,
}

fn elements(head: &str, toks: &[Token]) -> Vec<Elem> {
    let mut out = Vec::new();
    let mut prev = String::new();
    let mut cur: Vec<&Token> = Vec::new();
    let mut flush = |cur: &mut Vec<&Token>, prev: &mut String, next: &str| {
        if !cur.is_empty() {
            let mut words = Vec::new();
            let mut redirs = Vec::new();
            let mut k = 0;
            while k < cur.len() {
                let t = cur[k];
                if t.kind == Tok::Redir {
                    let op = head[t.start..t.end].to_string();
                    let target = cur
                        .get(k + 1)
                        .filter(|n| n.kind == Tok::Word)
                        .map(|n| (n.start, n.end));
                    if target.is_some() {
                        k += 1;
                    }
                    redirs.push((op, target));
                } else {
                    words.push((t.start, t.end));
                }
                k += 1;
            }
            out.push(Elem {
                start: cur[0].start,
                end: cur[cur.len() - 1].end,
                words,
                redirs,
                prev: prev.clone(),
                next: next.to_string(),
            });
        }
        cur.clear();
        *prev = next.to_string();
    };
    for t in toks {
        if t.kind == Tok::Op {
            let op = &head[t.start..t.end];
            flush(&mut cur, &mut prev, op);
        } else {
            cur.push(t);
        }
    }
    flush(&mut cur, &mut prev, "");
    out
}

fn guard_head(head: &str) -> Option<String> {
    let toks = shell::tokens(head)?;
    if toks.iter().any(|t| t.kind == Tok::Paren) {
        return None;
    }
    let elems = elements(head, &toks);
    for e in &elems {
        if let Some(&(s, en)) = e.words.first() {
            if RESERVED_WORDS.contains(&&head[s..en]) || head[s..en].ends_with("()") {
                return None;
            }
            // NAME=value prefixes and function definitions are left alone
            if head[s..en].contains('=') && !head[s..en].starts_with('-') {
                return None;
            }
        }
    }
    let mut repl: Vec<(usize, usize, String)> = Vec::new();
    for e in &elems {
        if e.prev == "||" || e.prev == "|&" {
            continue;
        }
        if let Some(r) = rewrite(head, e) {
            repl.push((e.start, e.end, r));
        }
    }
    if repl.is_empty() {
        return None;
    }
    let mut out = head.to_string();
    for (s, e, r) in repl.into_iter().rev() {
        out.replace_range(s..e, &r);
    }
    Some(out)
}

/// A query whose success means the object exists.
fn guarded(e: &Elem, query: &str, cmd: &str) -> String {
    let chained =
        !matches!(e.prev.as_str(), "" | ";" | "\n") || !matches!(e.next.as_str(), "" | ";" | "\n");
    if chained {
        format!("{{ {query} || {cmd}; }}")
    } else {
        format!("{query} || {cmd}")
    }
}

fn rewrite(head: &str, e: &Elem) -> Option<String> {
    let w: Vec<&str> = e.words.iter().map(|&(s, en)| &head[s..en]).collect();
    let lit: Vec<Option<String>> = w.iter().map(|x| shell::literal(x)).collect();
    let name = |i: usize| lit.get(i).and_then(|x| x.as_deref());
    if w.is_empty() {
        return None;
    }
    let (off, sudo) = if name(0) == Some("sudo") && w.len() > 1 && !w[1].starts_with('-') {
        (1, true)
    } else {
        (0, false)
    };
    let cmd_text = &head[e.start..e.end];
    let args = &w[off..];
    let largs = &lit[off..];
    let prefix = if sudo { "sudo " } else { "" };
    match largs[0].as_deref()? {
        "openstack" => {
            let g = openstack_guard(args, largs)?;
            match g {
                OsGuard::Query(q) => Some(guarded(e, &format!("{prefix}{q}"), cmd_text)),
                OsGuard::Tolerate => {
                    let inner = &head[e.words[off].0..e.end];
                    Some(format!("rb_ok_if_exists {inner}"))
                }
            }
        }
        "rabbitmqctl" => {
            let (sub, rest) = rabbit_sub(args, largs)?;
            let q = match sub {
                "add_user" => format!(
                    "{prefix}rabbitmqctl list_users 2>/dev/null | cut -f1 | grep -qxF -- {}",
                    rest.first()?
                ),
                "add_vhost" => format!(
                    "{prefix}rabbitmqctl list_vhosts 2>/dev/null | grep -qxF -- {}",
                    rest.first()?
                ),
                _ => return None,
            };
            Some(guarded(e, &q, cmd_text))
        }
        "useradd" | "adduser" => {
            let n = user_name(args, largs)?;
            Some(guarded(e, &format!("id -u {n} >/dev/null 2>&1"), cmd_text))
        }
        "groupadd" | "addgroup" => {
            if largs
                .iter()
                .any(|a| matches!(a.as_deref(), Some("-f" | "--force")))
            {
                return None;
            }
            let n = last_positional(args, largs, &["-r", "-o", "--system", "--non-unique"])?;
            Some(guarded(
                e,
                &format!("getent group {n} >/dev/null 2>&1"),
                cmd_text,
            ))
        }
        "nova-manage" | "su" => {
            let (cell, su_user) = create_cell(args, largs)?;
            let list = match su_user {
                Some(u) => format!("su -s /bin/sh -c \"nova-manage cell_v2 list_cells\" {u}"),
                None => "nova-manage cell_v2 list_cells".to_string(),
            };
            Some(guarded(
                e,
                &format!("{prefix}{list} 2>/dev/null | grep -qF -- ' {cell} '"),
                cmd_text,
            ))
        }
        "mkdir" => {
            let has_p = largs[1..].iter().any(|a| match a.as_deref() {
                Some("--parents") => true,
                Some(s) if s.starts_with('-') && !s.starts_with("--") => s.contains('p'),
                _ => false,
            });
            if has_p {
                return None;
            }
            let (ms, me) = e.words[off];
            let mut s = String::new();
            s.push_str(&head[e.start..me]);
            s.push_str(" -p");
            s.push_str(&head[me..e.end]);
            let _ = ms;
            Some(s)
        }
        "ln" => {
            let symbolic = largs[1..].iter().any(|a| match a.as_deref() {
                Some("--symbolic") => true,
                Some(s) if s.starts_with('-') && !s.starts_with("--") => s.contains('s'),
                _ => false,
            });
            if !symbolic || !e.redirs.is_empty() {
                return None;
            }
            let (_, me) = e.words[off];
            Some(format!("rb_ln{}", &head[me..e.end]))
        }
        "wget" => {
            // without -O/-N/-c/-nc a second download is saved as NAME.1
            let keeps = largs[1..].iter().any(|a| match a.as_deref() {
                Some(
                    "-N" | "-c" | "-nc" | "--continue" | "--timestamping" | "--no-clobber" | "-O"
                    | "--output-document" | "-",
                ) => true,
                Some(s) => s.starts_with("-O") || s.starts_with("--output-document="),
                None => false,
            });
            if keeps {
                return None;
            }
            let (_, me) = e.words[off];
            Some(format!("{} -nc{}", &head[e.start..me], &head[me..e.end]))
        }
        "ssh-keygen" => {
            // generating a key into an existing file asks whether to overwrite it
            let mut file = None;
            for (k, a) in largs.iter().enumerate().skip(1) {
                match a.as_deref() {
                    Some("-f") => file = args.get(k + 1).copied(),
                    Some(
                        "-l" | "-y" | "-R" | "-F" | "-H" | "-p" | "-c" | "-e" | "-i" | "-k" | "-Q"
                        | "-s" | "-L" | "-A" | "-D" | "-B" | "-Y",
                    ) => return None,
                    _ => {}
                }
            }
            let f = file?;
            Some(guarded(e, &format!("[ -e {f} ]"), cmd_text))
        }
        "cat" => file_writer_cat(head, e, off),
        "tee" => file_writer_tee(head, e, off, args, largs),
        "echo" | "printf" => append_echo(head, e, off),
        _ => None,
    }
}

enum OsGuard {
    Query(String),
    Tolerate,
}

/// `--x` options of the openstack client that take no value.
const OS_FLAGS: &[&str] = &[
    "or-show",
    "enable",
    "disable",
    "share",
    "no-share",
    "external",
    "internal",
    "default",
    "no-default",
    "public",
    "private",
    "protected",
    "unprotected",
    "ha",
    "no-ha",
    "distributed",
    "centralized",
    "dhcp",
    "no-dhcp",
    "enable-port-security",
    "disable-port-security",
    "ingress",
    "egress",
    "inherited",
    "immutable",
    "no-immutable",
    "enable-snat",
    "disable-snat",
    "no-gateway",
    "shared",
    "transparent-vlan",
    "no-transparent-vlan",
    "wait",
    "vlan-transparent",
    "no-property",
    "force",
    "is-domain",
];

struct OsArgs<'a> {
    positional: Vec<&'a str>,
    /// option name (without `--`) -> raw value text (`None` for a flag)
    opts: Vec<(String, Option<String>)>,
}

impl OsArgs<'_> {
    fn get(&self, k: &str) -> Option<&str> {
        self.opts
            .iter()
            .find(|(n, _)| n == k)
            .and_then(|(_, v)| v.as_deref())
    }
    fn has(&self, k: &str) -> bool {
        self.opts.iter().any(|(n, _)| n == k)
    }
}

fn os_args<'a>(args: &[&'a str], lit: &[Option<String>]) -> Option<OsArgs<'a>> {
    let mut positional = Vec::new();
    let mut opts = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let raw = args[i];
        match lit[i].as_deref() {
            Some(l) if l.starts_with("--") => {
                let body = &l[2..];
                if let Some((k, _)) = body.split_once('=') {
                    // value is the raw text after the first '=' of the raw word
                    let v = raw.split_once('=').map(|x| x.1).unwrap_or("");
                    opts.push((k.to_string(), Some(v.to_string())));
                } else if OS_FLAGS.contains(&body) || i + 1 >= args.len() {
                    opts.push((body.to_string(), None));
                } else {
                    opts.push((body.to_string(), Some(args[i + 1].to_string())));
                    i += 1;
                }
            }
            Some("-f" | "-c") => i += 1,
            Some(l) if l.starts_with('-') && l.len() > 1 => {}
            Some(_) => positional.push(raw),
            // an expansion: a positional (names are often variables)
            None => {
                if raw.starts_with('-') {
                    return None;
                }
                positional.push(raw)
            }
        }
        i += 1;
    }
    Some(OsArgs { positional, opts })
}

/// Objects whose `create` takes no name or whose name is not unique enough to guard.
const OS_NO_GUARD: &[&str] = &[
    "floating ip",
    "credential",
    "ec2 credentials",
    "access rule",
    "consumer",
    "token",
    "server backup",
    "server image",
    "volume backup",
    "image member",
    "server",
];

fn openstack_guard(args: &[&str], lit: &[Option<String>]) -> Option<OsGuard> {
    // global options
    let mut i = 1;
    while i < args.len() {
        match lit[i].as_deref() {
            Some(l) if l.starts_with("--os-") => i += if l.contains('=') { 1 } else { 2 },
            Some("-q" | "-v" | "--debug" | "--insecure" | "--quiet" | "--verbose") => i += 1,
            _ => break,
        }
    }
    let mut obj: Vec<&str> = Vec::new();
    let mut act = None;
    while i < args.len() {
        let l = lit[i].as_deref()?;
        if l == "create" || l == "add" {
            act = Some(l);
            i += 1;
            break;
        }
        if l.starts_with('-') || !l.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            return None;
        }
        obj.push(l);
        i += 1;
    }
    let act = act?;
    let obj = obj.join(" ");
    let a = os_args(&args[i..], &lit[i..])?;
    if act == "add" {
        if obj != "role" {
            return None;
        }
        let role = a.positional.first()?;
        let mut q = format!("openstack role assignment list --role {role}");
        for k in [
            "user",
            "group",
            "project",
            "domain",
            "system",
            "user-domain",
            "group-domain",
            "project-domain",
            "role-domain",
        ] {
            if let Some(v) = a.get(k) {
                q.push_str(&format!(" --{k} {v}"));
            }
        }
        if a.has("inherited") {
            q.push_str(" --inherited");
        }
        return Some(OsGuard::Query(format!(
            "[ -n \"$({q} -f value -c Role 2>/dev/null)\" ]"
        )));
    }
    match obj.as_str() {
        "" => None,
        "security group rule" => Some(OsGuard::Tolerate),
        "endpoint" => {
            if a.positional.len() < 3 {
                return None;
            }
            let mut q = format!(
                "openstack endpoint list --service {} --interface {}",
                a.positional[0], a.positional[1]
            );
            if let Some(r) = a.get("region") {
                q.push_str(&format!(" --region {r}"));
            }
            Some(OsGuard::Query(format!(
                "[ -n \"$({q} -f value -c ID 2>/dev/null)\" ]"
            )))
        }
        "service" => {
            let n = a.get("name").or_else(|| a.positional.first().copied())?;
            Some(OsGuard::Query(format!(
                "openstack service show {n} >/dev/null 2>&1"
            )))
        }
        o if OS_NO_GUARD.contains(&o) => None,
        o => {
            if a.has("or-show") {
                return None;
            }
            let n = a.positional.last()?;
            let mut q = format!("openstack {o} show");
            if matches!(o, "user" | "project" | "group" | "role") {
                if let Some(d) = a.get("domain") {
                    q.push_str(&format!(" --domain {d}"));
                }
            }
            Some(OsGuard::Query(format!("{q} {n} >/dev/null 2>&1")))
        }
    }
}

fn rabbit_sub<'a>(args: &[&'a str], lit: &'a [Option<String>]) -> Option<(&'a str, Vec<&'a str>)> {
    let mut i = 1;
    while i < args.len() {
        match lit[i].as_deref() {
            Some("-p" | "-n" | "--vhost" | "--node") => i += 2,
            Some(l) if l.starts_with('-') => i += 1,
            Some(l) => return Some((l, args[i + 1..].to_vec())),
            None => return None,
        }
    }
    None
}

fn last_positional<'a>(
    args: &[&'a str],
    lit: &[Option<String>],
    flags: &[&str],
) -> Option<&'a str> {
    let mut pos = Vec::new();
    let mut i = 1;
    while i < args.len() {
        match lit[i].as_deref() {
            Some(l) if l.starts_with("--") && l.contains('=') => {}
            Some(l) if l.starts_with('-') && l.len() > 1 => {
                if !flags.contains(&l) {
                    i += 1;
                }
            }
            _ => pos.push(args[i]),
        }
        i += 1;
    }
    if pos.len() == 1 {
        pos.pop()
    } else {
        None
    }
}

fn user_name<'a>(args: &[&'a str], lit: &[Option<String>]) -> Option<&'a str> {
    last_positional(
        args,
        lit,
        &[
            "-D",
            "-l",
            "-m",
            "-M",
            "-N",
            "-o",
            "-r",
            "-U",
            "--create-home",
            "--no-create-home",
            "--no-user-group",
            "--non-unique",
            "--system",
            "--user-group",
            "--no-log-init",
            "--defaults",
            "--group",
            "--disabled-password",
            "--disabled-login",
            "--quiet",
            "--force-badname",
        ],
    )
}

/// `nova-manage cell_v2 create_cell --name=N`, plain or inside `su [-s SH] -c "..." USER`:
/// (N, Some(USER) when inside su).
fn create_cell(args: &[&str], lit: &[Option<String>]) -> Option<(String, Option<String>)> {
    let (inner, user) = if lit[0].as_deref() == Some("su") {
        let mut cmd = None;
        let mut user = None;
        let mut i = 1;
        while i < args.len() {
            match lit[i].as_deref() {
                Some("-c" | "--command") => {
                    cmd = lit.get(i + 1).cloned().flatten();
                    i += 1;
                }
                Some("-s" | "--shell" | "-g" | "--group") => i += 1,
                Some(l) if l.starts_with('-') => {}
                Some(l) => user = Some(l.to_string()),
                None => return None,
            }
            i += 1;
        }
        (cmd?, Some(user?))
    } else {
        (args.join(" "), None)
    };
    let ws: Vec<&str> = inner.split_whitespace().collect();
    let k = ws.iter().position(|w| *w == "create_cell")?;
    if k == 0 || ws[k - 1] != "cell_v2" || !inner.contains("nova-manage") {
        return None;
    }
    let mut name = None;
    for (j, w) in ws.iter().enumerate().skip(k + 1) {
        if let Some(v) = w.strip_prefix("--name=") {
            name = Some(v.to_string());
        } else if *w == "--name" {
            name = ws.get(j + 1).map(|s| s.to_string());
        }
    }
    let name = name?;
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        || name.is_empty()
    {
        return None;
    }
    let user = match user {
        Some(u)
            if u.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Some(u)
        }
        Some(_) => return None,
        None => None,
    };
    Some((name, user))
}

fn is_pseudo(target: &str) -> bool {
    let t = shell::literal(target);
    match t {
        Some(p) => p.starts_with("/dev/") || p.starts_with("/proc/") || p.starts_with("/sys/"),
        // an expansion: could be anything; leave such writes alone
        None => true,
    }
}

/// `cat >> F <<EOF` / `cat > F <<EOF` (any order) → `rb_append F <<EOF` / `rb_write F <<EOF`.
fn file_writer_cat(head: &str, e: &Elem, off: usize) -> Option<String> {
    if e.words.len() != off + 1 || e.redirs.len() != 2 {
        return None;
    }
    if matches!(e.prev.as_str(), "|" | "|&") || matches!(e.next.as_str(), "|" | "|&") {
        return None;
    }
    let mut out_redir = None;
    let mut heredoc = None;
    for (op, t) in &e.redirs {
        let t = (*t)?;
        match op.as_str() {
            ">>" | "1>>" => out_redir = Some((true, t)),
            ">" | "1>" => out_redir = Some((false, t)),
            "<<" | "<<-" => heredoc = Some((op.clone(), t)),
            _ => return None,
        }
    }
    let (append, (ts, te)) = out_redir?;
    let (hop, (hs, he)) = heredoc?;
    let target = &head[ts..te];
    if is_pseudo(target) {
        return None;
    }
    let f = if append { "rb_append" } else { "rb_write" };
    Some(format!("{f} {target} {hop}{}", &head[hs..he]))
}

/// `tee -a F [>/dev/null] [<<EOF]` → `rb_append F [<<EOF]`; `tee F` → `rb_write F`.
fn file_writer_tee(
    head: &str,
    e: &Elem,
    off: usize,
    args: &[&str],
    lit: &[Option<String>],
) -> Option<String> {
    let mut append = false;
    let mut files = Vec::new();
    for (k, a) in lit.iter().enumerate().skip(1) {
        match a.as_deref() {
            Some("-a" | "--append") => append = true,
            Some(l) if l.starts_with('-') => return None,
            _ => files.push(k),
        }
    }
    if files.len() != 1 {
        return None;
    }
    let target = args[files[0]];
    if is_pseudo(target) {
        return None;
    }
    let mut heredoc = String::new();
    for (op, t) in &e.redirs {
        let t = (*t)?;
        let tt = &head[t.0..t.1];
        match op.as_str() {
            ">" | "1>" if shell::literal(tt).as_deref() == Some("/dev/null") => {}
            "<<" | "<<-" => heredoc = format!(" {op}{tt}"),
            _ => return None,
        }
    }
    let _ = off;
    // the stdout of tee is the pipeline's output; it is dropped (written to the file only)
    if !matches!(e.next.as_str(), "" | ";" | "\n" | "&&" | "||") {
        return None;
    }
    let f = if append { "rb_append" } else { "rb_write" };
    Some(format!("{f} {target}{heredoc}"))
}

/// `echo ... >> F` → `echo ... | rb_append F`.
fn append_echo(head: &str, e: &Elem, off: usize) -> Option<String> {
    if e.redirs.len() != 1 || matches!(e.prev.as_str(), "|" | "|&") {
        return None;
    }
    if matches!(e.next.as_str(), "|" | "|&") {
        return None;
    }
    let (op, t) = &e.redirs[0];
    if !matches!(op.as_str(), ">>" | "1>>") {
        return None;
    }
    let (ts, te) = (*t)?;
    let target = &head[ts..te];
    if is_pseudo(target) {
        return None;
    }
    let words: Vec<&str> = e.words[off..].iter().map(|&(s, en)| &head[s..en]).collect();
    Some(format!("{} | rb_append {target}", words.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn openstack_guards() {
        assert_eq!(
            guard("openstack project create --domain default \\\n  --description \"Service Project\" service"),
            "openstack project show --domain default service >/dev/null 2>&1 || openstack project create --domain default \\\n  --description \"Service Project\" service"
        );
        assert_eq!(
            guard("openstack user create --domain default --password \"${GLANCE_PASS}\" glance"),
            "openstack user show --domain default glance >/dev/null 2>&1 || openstack user create --domain default --password \"${GLANCE_PASS}\" glance"
        );
        assert_eq!(
            guard("openstack role add --project service --user glance admin"),
            "[ -n \"$(openstack role assignment list --role admin --user glance --project service -f value -c Role 2>/dev/null)\" ] || openstack role add --project service --user glance admin"
        );
        assert_eq!(
            guard("openstack service create --name glance --description \"OpenStack Image\" image"),
            "openstack service show glance >/dev/null 2>&1 || openstack service create --name glance --description \"OpenStack Image\" image"
        );
        assert_eq!(
            guard("openstack endpoint create --region RegionOne image public http://controller:9292"),
            "[ -n \"$(openstack endpoint list --service image --interface public --region RegionOne -f value -c ID 2>/dev/null)\" ] || openstack endpoint create --region RegionOne image public http://controller:9292"
        );
        assert_eq!(
            guard("openstack security group rule create --proto icmp default"),
            "rb_ok_if_exists openstack security group rule create --proto icmp default"
        );
        assert_eq!(
            guard("openstack flavor create --id 0 --vcpus 1 --ram 64 --disk 1 m1.nano"),
            "openstack flavor show m1.nano >/dev/null 2>&1 || openstack flavor create --id 0 --vcpus 1 --ram 64 --disk 1 m1.nano"
        );
        assert_eq!(
            guard("openstack network create --share --external \\\n  --provider-physical-network provider \\\n  --provider-network-type flat provider"),
            "openstack network show provider >/dev/null 2>&1 || openstack network create --share --external \\\n  --provider-physical-network provider \\\n  --provider-network-type flat provider"
        );
        // lists and chains get braces; after || nothing changes
        assert_eq!(
            guard(". admin-openrc && openstack role create myrole"),
            ". admin-openrc && { openstack role show myrole >/dev/null 2>&1 || openstack role create myrole; }"
        );
        assert_eq!(guard("openstack token issue"), "openstack token issue");
        assert_eq!(
            guard("openstack project create --or-show x"),
            "openstack project create --or-show x"
        );
    }

    #[test]
    fn idempotent_rewrite() {
        for t in [
            "openstack project create --domain default --description \"Demo\" myproject",
            "openstack role add --project p --user u r",
            "openstack endpoint create --region RegionOne image public http://x",
            "rabbitmqctl add_user openstack \"${RABBIT_PASS}\"",
            "mkdir /a && ln -s /x /y",
            "cat >> /etc/hosts <<EOF\n1.2.3.4 a\nEOF",
            "echo 'x' >> /etc/fstab",
            "useradd -m -s /bin/bash stack",
            "wget http://x/y.img",
            "ssh-keygen -t rsa -N '' -f /root/.ssh/id_rsa",
            "su -s /bin/sh -c \"nova-manage cell_v2 create_cell --name=cell1 --verbose\" nova",
        ] {
            let once = guard(t);
            assert_ne!(once, t, "{t}");
            assert_eq!(guard(&once), once, "{t}");
        }
    }

    #[test]
    fn other_guards() {
        assert_eq!(
            guard("rabbitmqctl add_user openstack \"${RABBIT_PASS}\""),
            "rabbitmqctl list_users 2>/dev/null | cut -f1 | grep -qxF -- openstack || rabbitmqctl add_user openstack \"${RABBIT_PASS}\""
        );
        assert_eq!(guard("mkdir /var/x"), "mkdir -p /var/x");
        assert_eq!(
            guard("wget http://download.cirros-cloud.net/0.4.0/cirros-0.4.0-x86_64-disk.img"),
            "wget -nc http://download.cirros-cloud.net/0.4.0/cirros-0.4.0-x86_64-disk.img"
        );
        assert_eq!(
            guard("wget -O /tmp/x http://a/b"),
            "wget -O /tmp/x http://a/b"
        );
        assert_eq!(
            guard("ssh-keygen -q -N \"\" -f /root/.ssh/id_rsa"),
            "[ -e /root/.ssh/id_rsa ] || ssh-keygen -q -N \"\" -f /root/.ssh/id_rsa"
        );
        assert_eq!(guard("mkdir -p /var/x"), "mkdir -p /var/x");
        assert_eq!(
            guard("ln -s /usr/share/keystone/wsgi-keystone.conf /etc/httpd/conf.d/"),
            "rb_ln -s /usr/share/keystone/wsgi-keystone.conf /etc/httpd/conf.d/"
        );
        assert_eq!(
            guard("useradd -m -s /bin/bash stack"),
            "id -u stack >/dev/null 2>&1 || useradd -m -s /bin/bash stack"
        );
        assert_eq!(
            guard("cat <<EOF >>/etc/hosts\n10.0.0.11 controller\nEOF\n"),
            "rb_append /etc/hosts <<EOF\n10.0.0.11 controller\nEOF\n"
        );
        assert_eq!(
            guard("cat > /etc/sysctl.d/k8s.conf << 'EOF'\na = 1\nEOF"),
            "rb_write /etc/sysctl.d/k8s.conf <<'EOF'\na = 1\nEOF"
        );
        assert_eq!(
            guard("cat <<EOF | sudo tee -a /etc/x > /dev/null\nl\nEOF"),
            "cat <<EOF | rb_append /etc/x\nl\nEOF"
        );
        assert_eq!(
            guard("echo \"bpffs /sys/fs/bpf bpf defaults 0 0\" >> /etc/fstab"),
            "echo \"bpffs /sys/fs/bpf bpf defaults 0 0\" | rb_append /etc/fstab"
        );
        assert_eq!(
            guard("echo 1 > /proc/sys/net/ipv4/ip_forward"),
            "echo 1 > /proc/sys/net/ipv4/ip_forward"
        );
        assert_eq!(
            guard("su -s /bin/sh -c \"nova-manage cell_v2 create_cell --name=cell1 --verbose\" nova"),
            "su -s /bin/sh -c \"nova-manage cell_v2 list_cells\" nova 2>/dev/null | grep -qF -- ' cell1 ' || su -s /bin/sh -c \"nova-manage cell_v2 create_cell --name=cell1 --verbose\" nova"
        );
    }

    #[test]
    fn unknown_shapes_pass_through() {
        for t in [
            "if true; then openstack user create x; fi",
            "for i in 1 2; do mkdir /a$i; done",
            "(cd /tmp && mkdir x)",
            "echo 'unterminated",
            "yum install -y chrony\nsystemctl enable chronyd.service",
            "X=1 mkdir /a",
            "f() { mkdir /a; }",
        ] {
            assert_eq!(guard(t), t, "{t}");
        }
    }
}
