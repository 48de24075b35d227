//! Links, bridges, addresses and connections.

use super::super::cmd::{Cmd, Word};
use super::super::Guard;

/// `ip [OPTIONS] OBJECT ACTION …`: the object's word, the action's argument index.
fn ip_object<'a>(c: &'a Cmd) -> Option<(&'a str, usize)> {
    if c.name() != "ip" {
        return None;
    }
    let args = c.args();
    let mut i = 0;
    while args.get(i).is_some_and(|w| w.is_option()) {
        // -n NETNS and -b FILE take a value; the others are flags
        i += if matches!(args[i].text(), "-n" | "-netns" | "-b" | "-batch") {
            2
        } else {
            1
        };
    }
    let object = args.get(i)?.lit.as_deref()?;
    Some((object, i + 1))
}

/// `ip addr add ADDR dev DEV`, `ip route add …` fail with "File exists" the second time:
/// `replace` sets the same and repeats safely.
pub fn ip_add(c: &Cmd) -> Option<Guard> {
    let (object, k) = ip_object(c)?;
    if !matches!(object, "a" | "addr" | "address" | "r" | "ro" | "route") {
        return None;
    }
    let act = c.args().get(k)?;
    if !act.is("add") {
        return None;
    }
    Some(Guard::Replace(c.splice(act.start, act.end, "replace")))
}

/// `ip link add [link DEV] [name] NAME type …`: fails when NAME exists.
pub fn ip_link_add(c: &Cmd) -> Option<Guard> {
    const PAIRS: &[&str] = &[
        "link",
        "txqueuelen",
        "txqlen",
        "address",
        "broadcast",
        "brd",
        "mtu",
        "index",
        "numtxqueues",
        "numrxqueues",
        "gso_max_size",
        "gso_max_segs",
        "netns",
        "group",
    ];
    let (object, k) = ip_object(c)?;
    if !matches!(object, "l" | "li" | "lin" | "link") || !c.args().get(k)?.is("add") {
        return None;
    }
    let args = c.args();
    let mut name: Option<&Word> = None;
    let mut i = k + 1;
    while i < args.len() {
        let w = args[i].text();
        if w == "type" {
            break;
        }
        if PAIRS.contains(&w) {
            i += 1;
        } else if matches!(w, "name" | "dev") {
            name = args.get(i + 1);
            i += 1;
        } else if name.is_none() {
            name = Some(&args[i]);
        }
        i += 1;
    }
    Some(Guard::Unless(format!(
        "ip link show {} >/dev/null 2>&1",
        name?.raw
    )))
}

/// `brctl addbr BR`, `brctl addif BR IF`: fail when the bridge or the port exists.
pub fn brctl(c: &Cmd) -> Option<Guard> {
    if c.name() != "brctl" {
        return None;
    }
    let br = c.args().get(1)?.raw;
    match c.arg(0)? {
        "addbr" => Some(Guard::Unless(format!("ip link show {br} >/dev/null 2>&1"))),
        "addif" => {
            let port = c.args().get(2)?.raw;
            if c.args().len() != 3 {
                return None;
            }
            Some(Guard::Unless(format!(
                "[ -e /sys/class/net/{br}/brif/{port} ]"
            )))
        }
        _ => None,
    }
}

/// `ovs-vsctl add-br|add-port|add-bond …` fail when it exists, `del-br|del-port` when it does
/// not: `--may-exist` / `--if-exists`.
pub fn ovs(c: &Cmd) -> Option<Guard> {
    if c.name() != "ovs-vsctl" {
        return None;
    }
    if c.has_option(&["--may-exist", "--if-exists"]) {
        return Some(Guard::Idempotent);
    }
    let args = c.args();
    let k = args.iter().position(|w| !w.is_option())?;
    let flag = match args[k].text() {
        "add-br" | "add-port" | "add-bond" => "--may-exist",
        "del-br" | "del-port" => "--if-exists",
        _ => return None,
    };
    let at = args[k].start;
    Some(Guard::Replace(c.splice(at, at, &format!("{flag} "))))
}

/// `nmcli connection add … con-name NAME`: a second add makes a second profile of that name.
pub fn nmcli(c: &Cmd) -> Option<Guard> {
    if c.name() != "nmcli" {
        return None;
    }
    let object = c.arg(0)?;
    let act = c.arg(1)?;
    if !matches!(object, "c" | "con" | "conn" | "connection") || !matches!(act, "a" | "add") {
        return None;
    }
    let args = c.args();
    let k = args.iter().position(|w| w.is("con-name"))?;
    let name = args.get(k + 1)?.raw;
    Some(Guard::Unless(format!(
        "nmcli connection show {name} >/dev/null 2>&1"
    )))
}
