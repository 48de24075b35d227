//! Settings that repeat safely as written: listed so that the table says so and the re-run
//! tests prove it.

use super::super::cmd::Cmd;
use super::super::Guard;

/// `sysctl -w K=V` sets the same value; `modprobe M` of a loaded module succeeds;
/// `swapoff -a` with no swap on and `swapon -a` with it on do nothing.
pub fn kernel(c: &Cmd) -> Option<Guard> {
    match c.name() {
        "sysctl" | "modprobe" => Some(Guard::Idempotent),
        "swapoff" | "swapon" if c.has_flag('a', &["--all"]) => Some(Guard::Idempotent),
        _ => None,
    }
}

/// `systemctl enable [--now]`, `start`, `restart`, `reload`, `daemon-reload`, `disable`,
/// `stop`, `mask`, `unmask`: each leaves the unit in the state it names.
pub fn services(c: &Cmd) -> Option<Guard> {
    if c.name() != "systemctl" {
        return None;
    }
    let verb = c.args().iter().find(|w| !w.is_option())?.text();
    matches!(
        verb,
        "enable"
            | "disable"
            | "start"
            | "stop"
            | "restart"
            | "reload"
            | "try-restart"
            | "reload-or-restart"
            | "daemon-reload"
            | "mask"
            | "unmask"
            | "set-default"
    )
    .then_some(Guard::Idempotent)
}

/// `usermod -aG GROUP USER` adds a group the user may already have; `gpasswd -a USER GROUP`
/// says so and succeeds.
pub fn user_mod(c: &Cmd) -> Option<Guard> {
    match c.name() {
        "usermod" => Some(Guard::Idempotent),
        "gpasswd" if c.has_option(&["-a", "--add"]) => Some(Guard::Idempotent),
        _ => None,
    }
}

/// `firewall-cmd [--permanent] --add-port=…/--add-service=…/--remove-…`: an existing entry
/// gives an ALREADY_ENABLED warning (a missing one NOT_ENABLED) and status 0; `--reload` too.
pub fn firewall(c: &Cmd) -> Option<Guard> {
    if c.name() != "firewall-cmd" {
        return None;
    }
    let sets = c.args().iter().any(|w| {
        let l = w
            .lit
            .as_deref()
            .or_else(|| w.raw.split_once('=').map(|p| p.0));
        l.is_some_and(|l| {
            l.starts_with("--add-")
                || l.starts_with("--remove-")
                || l.starts_with("--set-")
                || l == "--reload"
        })
    });
    sets.then_some(Guard::Idempotent)
}
