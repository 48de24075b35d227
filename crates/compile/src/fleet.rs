//! Fleet stage (after [`crate::plan`]): a node with several hosts runs one runbook with per-host
//! values.
//!
//! A guide shows one example machine per node (`compute`, 10.0.0.31). When `runbook.toml` gives
//! a node hosts (`[[nodes.hosts]]`), the example values of that node become per-host values:
//!
//! - In the steps that run only on the node, its example address (the node's `address` in the
//!   config) becomes `${HOST_ADDRESS}` wherever it stands as a whole address (ini values, lines,
//!   file content, commands), and its name becomes `${HOST_NAME}` where it is the machine's own
//!   name (`hostnamectl set-hostname compute`, `hostname compute`, `/etc/hostname`,
//!   `HOSTNAME=compute`, ini `host = compute`).
//! - In every node's steps, a hosts-file line that lists the node (`10.0.0.31 compute`) becomes
//!   one line per host (`10.0.0.31 compute1`, `10.0.0.32 compute2`), and a `verify` command line
//!   that names the node as an argument (`ping -c 4 compute`) is repeated for every host.
//! - A per-node variable value equal to the node's example address (or name) becomes each host's
//!   address (or name) unless the host sets the variable itself.
//!
//! The new variables are in `plan.variables`; each host's values are in `plan.hosts[].vars`.
//! A node with one host keeps its values as per-node defaults (its runbook runs as is); a node
//! with several hosts has no default for them, so a run without the host's values stops before
//! changing anything instead of writing the example's address. Recognition rules and their
//! limits: `docs/fleet.md`.
//!
//! Pure: the same plan and config give the same result.

use runbook_core::config::Config;
use runbook_core::model::{Action, Kind, NodeValue, Plan, Step, Variable};
use runbook_core::shell::{quote_states, Quote};

pub use runbook_core::model::{HOST_ADDRESS, HOST_NAME};

/// One node of the fleet: a node the config gives hosts.
#[derive(Debug, Clone)]
struct Fleet {
    node: String,
    /// The guide's example address of the node (config `address`).
    address: Option<String>,
    /// The names the guide uses for the node: hostname, name, aliases (lowercase).
    names: Vec<String>,
    /// (host name, address) in config order.
    hosts: Vec<(String, Option<String>)>,
}

impl Fleet {
    fn is_name(&self, word: &str) -> bool {
        let w = word.to_ascii_lowercase();
        self.names.contains(&w)
    }
    /// `word` with the node's name replaced by `host` when it is the name or `name.domain`.
    fn rename(&self, word: &str, host: &str) -> Option<String> {
        let w = word.to_ascii_lowercase();
        for n in &self.names {
            if w == *n {
                return Some(host.to_string());
            }
            if w.len() > n.len() && w.starts_with(n.as_str()) && w.as_bytes()[n.len()] == b'.' {
                return Some(format!("{host}{}", &word[n.len()..]));
            }
        }
        None
    }
}

fn fleets(plan: &Plan, config: &Config) -> Vec<Fleet> {
    let mut out = Vec::new();
    for n in &plan.nodes {
        let Some(c) = config.nodes.iter().find(|c| &c.name == n) else {
            continue;
        };
        if c.hosts.is_empty() {
            continue;
        }
        let mut names: Vec<String> = Vec::new();
        for name in c
            .hostname
            .iter()
            .chain(std::iter::once(&c.name))
            .chain(c.aliases.iter())
        {
            let l = name.trim().to_ascii_lowercase();
            if !l.is_empty() && !names.contains(&l) {
                names.push(l);
            }
        }
        let hosts = plan
            .hosts
            .iter()
            .filter(|h| &h.node == n)
            .map(|h| (h.name.clone(), h.address.clone()))
            .collect();
        out.push(Fleet {
            node: n.clone(),
            address: c.address.clone().filter(|a| !a.trim().is_empty()),
            names,
            hosts,
        });
    }
    out
}

/// Rewrite the plan's steps and variables for the hosts the config gives (see the module doc).
pub fn apply(plan: &mut Plan, config: &Config) {
    let fleets = fleets(plan, config);
    if fleets.is_empty() {
        return;
    }
    for step in plan.steps.iter_mut() {
        rewrite_step(step, &fleets);
    }
    host_values(plan, &fleets);
    add_variables(plan, &fleets);
}

// ---- steps -----------------------------------------------------------------------------------

fn rewrite_step(step: &mut Step, fleets: &[Fleet]) {
    // the fleet node the step runs on alone, if any
    let own: Option<&Fleet> = match step.nodes.as_slice() {
        [only] => fleets.iter().find(|f| &f.node == only),
        _ => None,
    };
    let mut used: Vec<&'static str> = Vec::new();
    let before = step.clone();
    match &mut step.action {
        Action::Lines {
            lines, comment_out, ..
        } => {
            *lines = rewrite_data_lines(lines, fleets, own, &mut used, false);
            *comment_out = rewrite_data_lines(comment_out, fleets, own, &mut used, false);
        }
        Action::File { path, content } => {
            let is_hostname = path == "/etc/hostname";
            let nl = content.ends_with('\n');
            let lines: Vec<String> = content.lines().map(str::to_string).collect();
            let mut out =
                rewrite_data_lines(&lines, fleets, own, &mut used, is_hostname).join("\n");
            if nl {
                out.push('\n');
            }
            *content = out;
        }
        Action::Ini { settings, .. } => {
            if let Some(f) = own {
                for s in settings.iter_mut() {
                    let key = s.key.trim().to_ascii_lowercase();
                    if (key == "host" || key == "hostname") && f.is_name(s.value.trim()) {
                        s.value = format!("${{{HOST_NAME}}}");
                        push_used(&mut used, HOST_NAME);
                    } else if let Some(a) = &f.address {
                        let (v, n) =
                            replace_address(&s.value, a, |_| format!("${{{HOST_ADDRESS}}}"));
                        if n > 0 {
                            s.value = v;
                            push_used(&mut used, HOST_ADDRESS);
                        }
                    }
                }
            }
        }
        Action::Command | Action::Verify => {
            let verify = step.kind() == Kind::Verify;
            step.run = rewrite_shell(&step.run, fleets, own, verify, &mut used);
        }
        Action::Sql | Action::Manual => {}
    }
    if *step == before {
        return;
    }
    for v in used {
        if !step.variables.iter().any(|x| x == v) {
            step.variables.push(v.to_string());
        }
    }
    if matches!(step.kind(), Kind::File | Kind::Ini | Kind::Lines) {
        crate::runtext::fill(step);
    }
}

fn push_used(used: &mut Vec<&'static str>, v: &'static str) {
    if !used.contains(&v) {
        used.push(v);
    }
}

/// Data lines (file content, `lines`): hosts lines expanded for every fleet node; on the node's
/// own steps, its address and (`HOSTNAME=`, `/etc/hostname`) name replaced.
fn rewrite_data_lines(
    lines: &[String],
    fleets: &[Fleet],
    own: Option<&Fleet>,
    used: &mut Vec<&'static str>,
    hostname_file: bool,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        if let Some(exp) = expand_hosts_line(line, fleets) {
            for l in exp {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
            continue;
        }
        let mut l = line.clone();
        if let Some(f) = own {
            if hostname_file && f.is_name(l.trim()) {
                l = format!("${{{HOST_NAME}}}");
                push_used(used, HOST_NAME);
            } else if let Some(v) = l.trim_start().strip_prefix("HOSTNAME=") {
                let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
                if f.is_name(v) {
                    let indent = &l[..l.len() - l.trim_start().len()];
                    l = format!("{indent}HOSTNAME=${{{HOST_NAME}}}");
                    push_used(used, HOST_NAME);
                }
            }
            if let Some(a) = &f.address {
                let (v, n) = replace_address(&l, a, |_| format!("${{{HOST_ADDRESS}}}"));
                if n > 0 {
                    l = v;
                    push_used(used, HOST_ADDRESS);
                }
            }
        }
        out.push(l);
    }
    out
}

/// Whether `s` is a dotted IPv4 address.
fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .iter()
            .all(|p| p.parse::<u16>().is_ok_and(|n| n <= 255))
}

fn is_hostname_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
}

/// Split a line into (whitespace, word) pairs; a trailing comment is one last word.
fn words(line: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let ws_len = rest.len() - rest.trim_start().len();
        let (ws, after) = rest.split_at(ws_len);
        if after.is_empty() {
            out.push((ws, ""));
            break;
        }
        if after.starts_with('#') {
            out.push((ws, after));
            break;
        }
        let wlen = after.find(char::is_whitespace).unwrap_or(after.len());
        let (w, r) = after.split_at(wlen);
        out.push((ws, w));
        rest = r;
    }
    out
}

/// A hosts-file line (`ADDRESS NAME...`, optional `# comment`) that lists a fleet node, as one
/// line per host of that node with an address.
fn expand_hosts_line(line: &str, fleets: &[Fleet]) -> Option<Vec<String>> {
    let ws = words(line);
    let (lead, addr) = *ws.first()?;
    if !is_ipv4(addr) {
        return None;
    }
    let names: Vec<(&str, &str)> = ws[1..]
        .iter()
        .copied()
        .filter(|(_, w)| !w.is_empty() && !w.starts_with('#'))
        .collect();
    if names.is_empty() || !names.iter().all(|(_, w)| is_hostname_word(w)) {
        return None;
    }
    let fleet = fleets
        .iter()
        .find(|f| names.iter().any(|(_, w)| f.rename(w, "x").is_some()))?;
    let tail: String = ws[1..]
        .iter()
        .filter(|(_, w)| w.is_empty() || w.starts_with('#'))
        .map(|(s, w)| format!("{s}{w}"))
        .collect();
    let mut out = Vec::new();
    for (host, address) in &fleet.hosts {
        let Some(address) = address else { continue };
        let mut l = format!("{lead}{address}");
        let mut seen: Vec<String> = Vec::new();
        for (sep, w) in &names {
            let n = fleet.rename(w, host).unwrap_or_else(|| w.to_string());
            if seen.contains(&n) {
                continue;
            }
            l.push_str(sep);
            l.push_str(&n);
            seen.push(n);
        }
        l.push_str(&tail);
        out.push(l);
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// Replace every whole occurrence of the address `addr` in `text` (not part of a longer number,
/// name or address); `with(offset)` gives the replacement. Returns the text and the count.
fn replace_address(text: &str, addr: &str, with: impl Fn(usize) -> String) -> (String, usize) {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut n = 0;
    let mut from = 0;
    while let Some(pos) = text[from..].find(addr) {
        let start = from + pos;
        let end = start + addr.len();
        let before_ok = start == 0 || {
            let c = b[start - 1];
            !(c.is_ascii_alphanumeric() || c == b'.' || c == b'_')
        };
        let after_ok = end == b.len() || {
            let c = b[end];
            let dot_more = c == b'.' && b.get(end + 1).is_some_and(|d| d.is_ascii_alphanumeric());
            !(c.is_ascii_alphanumeric() || c == b'_' || dot_more)
        };
        if before_ok && after_ok {
            out.push_str(&text[last..start]);
            out.push_str(&with(start));
            last = end;
            n += 1;
        }
        from = end;
    }
    out.push_str(&text[last..]);
    (out, n)
}

/// A variable reference that expands to exactly its value at a point of bash text.
fn shell_ref(var: &str, q: Quote) -> String {
    match q {
        Quote::None => format!("\"${{{var}}}\""),
        Quote::Double | Quote::Heredoc(_) => format!("${{{var}}}"),
        Quote::Single => format!("'\"${{{var}}}\"'"),
    }
}

fn unquote_word(w: &str) -> &str {
    let w = w.trim_end_matches(';');
    if w.len() >= 2
        && ((w.starts_with('\'') && w.ends_with('\'')) || (w.starts_with('"') && w.ends_with('"')))
    {
        &w[1..w.len() - 1]
    } else {
        w
    }
}

/// Bash text of a command or verify step.
fn rewrite_shell(
    text: &str,
    fleets: &[Fleet],
    own: Option<&Fleet>,
    verify: bool,
    used: &mut Vec<&'static str>,
) -> String {
    let mut out: Vec<String> = Vec::new();
    let ends_nl = text.ends_with('\n');
    for line in text.lines() {
        // a whole line that is a hosts-file line (heredoc data)
        if let Some(exp) = expand_hosts_line(line, fleets) {
            out.extend(exp);
            continue;
        }
        if verify {
            if let Some(exp) = repeat_per_host(line, fleets, own) {
                out.extend(exp);
                continue;
            }
        }
        let mut l = line.to_string();
        if let Some(f) = own {
            l = set_hostname(&l, f, used);
            if let Some(a) = &f.address {
                let states = quote_states(&l);
                let (v, n) = replace_address(&l, a, |at| shell_ref(HOST_ADDRESS, states[at]));
                if n > 0 {
                    l = v;
                    push_used(used, HOST_ADDRESS);
                }
            }
        }
        out.push(l);
    }
    let mut s = out.join("\n");
    if ends_nl {
        s.push('\n');
    }
    s
}

/// `hostnamectl [opts] set-hostname NAME`, `hostnamectl hostname NAME`, `hostname NAME` with
/// the node's name: the name becomes `"${HOST_NAME}"`.
fn set_hostname(line: &str, f: &Fleet, used: &mut Vec<&'static str>) -> String {
    let ws = words(line);
    let mut target: Option<usize> = None;
    for (i, (_, w)) in ws.iter().enumerate() {
        let cmd_pos = i == 0 || matches!(ws[i - 1].1, "&&" | "||" | ";" | "|" | "sudo");
        let next_arg = |from: usize| {
            (from..ws.len()).find(|&j| !ws[j].1.starts_with('-') && !ws[j].1.is_empty())
        };
        if *w == "hostnamectl" {
            if let Some(j) = next_arg(i + 1) {
                if matches!(ws[j].1, "set-hostname" | "hostname") {
                    target = next_arg(j + 1);
                }
            }
        } else if *w == "hostname" && cmd_pos {
            target = next_arg(i + 1);
        }
        if target.is_some() {
            break;
        }
    }
    let Some(t) = target else {
        return line.to_string();
    };
    let word = ws[t].1;
    if !f.is_name(unquote_word(word)) {
        return line.to_string();
    }
    push_used(used, HOST_NAME);
    let semi = if word.ends_with(';') { ";" } else { "" };
    let mut s = String::new();
    for (i, (sep, w)) in ws.iter().enumerate() {
        s.push_str(sep);
        if i == t {
            s.push_str(&format!("\"${{{HOST_NAME}}}\"{semi}"));
        } else {
            s.push_str(w);
        }
    }
    s
}

/// Commands whose node-name argument is a machine to reach or resolve.
const NAME_CHECKS: &[&str] = &[
    "ping",
    "ping6",
    "arping",
    "traceroute",
    "tracepath",
    "getent",
    "host",
    "nslookup",
    "dig",
    "ssh",
    "nc",
    "telnet",
    "curl",
    "wget",
];

/// A read-only check line naming a fleet node as an argument (`ping -c 4 compute`), run on
/// another node: one line per host.
fn repeat_per_host(line: &str, fleets: &[Fleet], own: Option<&Fleet>) -> Option<Vec<String>> {
    let ws = words(line);
    if ws.len() < 2 || !NAME_CHECKS.contains(&ws[0].1) {
        return None;
    }
    for f in fleets {
        if own.is_some_and(|o| o.node == f.node) || f.hosts.len() < 2 {
            continue;
        }
        let hit = ws[1..].iter().any(|(_, w)| f.is_name(unquote_word(w)));
        if !hit {
            continue;
        }
        let mut out = Vec::new();
        for (host, _) in &f.hosts {
            let mut s = String::new();
            for (i, (sep, w)) in ws.iter().enumerate() {
                s.push_str(sep);
                if i > 0 && f.is_name(unquote_word(w)) {
                    s.push_str(&w.replace(unquote_word(w), host));
                } else {
                    s.push_str(w);
                }
            }
            out.push(s);
        }
        return Some(out);
    }
    None
}

// ---- values ----------------------------------------------------------------------------------

/// Each host's values: `HOST_ADDRESS`, `HOST_NAME`, then per-node values derived from the node's
/// example address or name; per-node defaults settled for one-host nodes, dropped for the others.
fn host_values(plan: &mut Plan, fleets: &[Fleet]) {
    for f in fleets {
        let count = f.hosts.len();
        let derived: Vec<(String, Derive)> = plan
            .variables
            .iter()
            .filter_map(|v| {
                let pn = v.per_node.iter().find(|p| p.node == f.node)?;
                let d = if f.address.as_deref() == Some(pn.value.trim()) {
                    Derive::Address
                } else if f.is_name(pn.value.trim()) {
                    Derive::Name
                } else {
                    return None;
                };
                Some((v.name.clone(), d))
            })
            .collect();
        for h in plan.hosts.iter_mut().filter(|h| h.node == f.node) {
            let mut vars: Vec<(String, String)> = Vec::new();
            if let Some(a) = &h.address {
                vars.push((HOST_ADDRESS.into(), a.clone()));
            }
            vars.push((HOST_NAME.into(), h.name.clone()));
            for (k, v) in &h.vars {
                vars.retain(|(x, _)| x != k);
                vars.push((k.clone(), v.clone()));
            }
            for (name, d) in &derived {
                if vars.iter().any(|(k, _)| k == name) {
                    continue;
                }
                let val = match d {
                    Derive::Address => h.address.clone(),
                    Derive::Name => Some(h.name.clone()),
                };
                if let Some(val) = val {
                    vars.push((name.clone(), val));
                }
            }
            h.vars = vars;
        }
        // per-node defaults of the variables some host sets
        let hosts: Vec<&runbook_core::model::Host> =
            plan.hosts.iter().filter(|h| h.node == f.node).collect();
        for v in plan.variables.iter_mut() {
            if v.secret {
                continue;
            }
            let set_by: Vec<&str> = hosts
                .iter()
                .filter_map(|h| {
                    h.vars
                        .iter()
                        .find(|(k, _)| *k == v.name)
                        .map(|(_, x)| x.as_str())
                })
                .collect();
            if set_by.is_empty() {
                continue;
            }
            v.per_node.retain(|p| p.node != f.node);
            if count == 1 {
                v.per_node.push(NodeValue {
                    node: f.node.clone(),
                    value: set_by[0].to_string(),
                });
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Derive {
    Address,
    Name,
}

/// `HOST_ADDRESS` and `HOST_NAME` in `plan.variables` when a step uses them; variables in order
/// of first use.
fn add_variables(plan: &mut Plan, fleets: &[Fleet]) {
    for (name, desc) in [
        (
            HOST_ADDRESS,
            "호스트의 관리 네트워크 주소 (runbook.toml 의 호스트마다 다름)",
        ),
        (HOST_NAME, "호스트 이름 (runbook.toml 의 호스트마다 다름)"),
    ] {
        let used = plan
            .steps
            .iter()
            .any(|s| s.variables.iter().any(|v| v == name));
        if !used || plan.variables.iter().any(|v| v.name == name) {
            continue;
        }
        let mut per_node = Vec::new();
        for f in fleets.iter().filter(|f| f.hosts.len() == 1) {
            if let Some(h) = plan.hosts.iter().find(|h| h.node == f.node) {
                if let Some((_, v)) = h.vars.iter().find(|(k, _)| k == name) {
                    per_node.push(NodeValue {
                        node: f.node.clone(),
                        value: v.clone(),
                    });
                }
            }
        }
        plan.variables.push(Variable {
            name: name.to_string(),
            secret: false,
            description: desc.to_string(),
            value: None,
            per_node,
        });
    }
    let first_use = |name: &str| {
        plan.steps
            .iter()
            .position(|s| s.variables.iter().any(|v| v == name))
            .unwrap_or(usize::MAX)
    };
    let mut keyed: Vec<(usize, Variable)> = plan
        .variables
        .drain(..)
        .map(|v| (first_use(&v.name), v))
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    plan.variables = keyed.into_iter().map(|(_, v)| v).collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet() -> Fleet {
        Fleet {
            node: "compute".into(),
            address: Some("10.0.0.31".into()),
            names: vec!["compute".into()],
            hosts: vec![
                ("compute1".into(), Some("10.0.0.31".into())),
                ("compute2".into(), Some("10.0.0.32".into())),
            ],
        }
    }

    #[test]
    fn address_tokens() {
        let r = |t: &str| replace_address(t, "10.0.0.31", |_| "X".into());
        assert_eq!(r("my_ip = 10.0.0.31").0, "my_ip = X");
        assert_eq!(r("a 10.0.0.31/24 b").0, "a X/24 b");
        assert_eq!(r("10.0.0.310 110.0.0.31 10.0.0.31.5").1, 0);
        assert_eq!(r("http://10.0.0.31:80/").0, "http://X:80/");
        assert_eq!(r("end 10.0.0.31.").0, "end X.");
    }

    #[test]
    fn hosts_lines() {
        let f = [fleet()];
        assert_eq!(
            expand_hosts_line("10.0.0.31\tcompute", &f).unwrap(),
            vec!["10.0.0.31\tcompute1", "10.0.0.32\tcompute2"]
        );
        assert_eq!(
            expand_hosts_line("  10.0.0.31 compute compute.example.org # c", &f).unwrap(),
            vec![
                "  10.0.0.31 compute1 compute1.example.org # c",
                "  10.0.0.32 compute2 compute2.example.org # c"
            ]
        );
        assert!(expand_hosts_line("10.0.0.11 controller", &f).is_none());
        assert!(expand_hosts_line("ping compute", &f).is_none());
    }

    #[test]
    fn shell_quoting() {
        let f = fleet();
        let mut used = Vec::new();
        let fl = [f.clone()];
        let r = rewrite_shell(
            "echo 10.0.0.31 \"a 10.0.0.31\" 'b 10.0.0.31'",
            &fl,
            Some(&f),
            false,
            &mut used,
        );
        assert_eq!(
            r,
            "echo \"${HOST_ADDRESS}\" \"a ${HOST_ADDRESS}\" 'b '\"${HOST_ADDRESS}\"''"
        );
        let r = rewrite_shell(
            "hostnamectl set-hostname compute\nhostname compute; echo compute",
            &fl,
            Some(&f),
            false,
            &mut used,
        );
        assert_eq!(
            r,
            "hostnamectl set-hostname \"${HOST_NAME}\"\nhostname \"${HOST_NAME}\"; echo compute"
        );
        assert_eq!(used, vec![HOST_ADDRESS, HOST_NAME]);
        let r = rewrite_shell("ping -c 4 compute", &fl, None, true, &mut used);
        assert_eq!(r, "ping -c 4 compute1\nping -c 4 compute2");
        let r = rewrite_shell("openstack compute service list", &fl, None, true, &mut used);
        assert_eq!(r, "openstack compute service list");
    }
}
