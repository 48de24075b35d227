//! OpenStack: objects created through the `openstack` client, cells, bootstrap.

use super::super::cmd::Cmd;
use super::super::Guard;

/// `openstack [GLOBAL] OBJECT… create|add … NAME`: the `show` of the object (or the matching
/// list for endpoints and role assignments); a security group rule's 409 counts as done.
pub fn create(c: &Cmd) -> Option<Guard> {
    if c.name() != "openstack" {
        return None;
    }
    let ws = &c.words[c.at..];
    let args: Vec<&str> = ws.iter().map(|w| w.raw).collect();
    let lit: Vec<Option<String>> = ws.iter().map(|w| w.lit.clone()).collect();
    match openstack_guard(&args, &lit)? {
        OsGuard::Query(q) => Some(Guard::Unless(format!("{}{q}", c.lead()))),
        OsGuard::Tolerate => Some(Guard::Replace(c.wrap("rb_ok_if_exists"))),
    }
}

/// `nova-manage cell_v2 create_cell --name=N`, plain or inside `su [-s SH] -c "…" USER`.
pub fn create_cell(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "nova-manage" | "su") {
        return None;
    }
    let ws = &c.words[c.at..];
    let args: Vec<&str> = ws.iter().map(|w| w.raw).collect();
    let lit: Vec<Option<String>> = ws.iter().map(|w| w.lit.clone()).collect();
    let cell = cell_name(&args, &lit)?;
    let list = match &cell.su_user {
        Some(u) => format!("su -s /bin/sh -c \"nova-manage cell_v2 list_cells\" {u}"),
        None => "nova-manage cell_v2 list_cells".to_string(),
    };
    Some(Guard::Unless(format!(
        "{}{list} 2>/dev/null | grep -qF -- ' {} '",
        c.lead(),
        cell.name
    )))
}

/// `keystone-manage bootstrap …` and the services' `db_sync`: they check what exists first.
pub fn bootstrap(c: &Cmd) -> Option<Guard> {
    let n = c.name();
    let sub = c.args().iter().find(|w| !w.is_option()).map(|w| w.text());
    match (n, sub) {
        ("keystone-manage", Some("bootstrap" | "db_sync")) => Some(Guard::Idempotent),
        (m, _)
            if m.ends_with("-manage")
                && c.args().iter().any(|w| w.is("db_sync") || w.is("sync")) =>
        {
            Some(Guard::Idempotent)
        }
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
    "password-prompt",
    "no-password",
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

/// The cell's name and the user of `su`.
struct Cell {
    name: String,
    su_user: Option<String>,
}

/// `nova-manage cell_v2 create_cell --name=N`, plain or inside `su [-s SH] -c "…" USER`.
fn cell_name(args: &[&str], lit: &[Option<String>]) -> Option<Cell> {
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
    Some(Cell {
        name,
        su_user: user,
    })
}
