//! Users and groups.

use super::super::cmd::Cmd;
use super::super::Guard;

/// `useradd`/`adduser` options that take no value.
const USER_FLAGS: &[&str] = &[
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
];

/// The one positional argument, given the options that take no value (all others take one).
fn only_positional<'a>(c: &'a Cmd, flags: &[&str]) -> Option<&'a str> {
    let mut pos = Vec::new();
    let args = c.args();
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        match w.lit.as_deref() {
            Some(l) if l.starts_with("--") && l.contains('=') => {}
            Some(l) if l.starts_with('-') && l.len() > 1 => {
                if !flags.contains(&l) {
                    i += 1;
                }
            }
            _ => pos.push(w.raw),
        }
        i += 1;
    }
    if pos.len() == 1 {
        pos.pop()
    } else {
        None
    }
}

/// `useradd [OPTIONS] NAME`: fails when NAME exists.
pub fn user_add(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "useradd" | "adduser") {
        return None;
    }
    let n = only_positional(c, USER_FLAGS)?;
    Some(Guard::Unless(format!("id -u {n} >/dev/null 2>&1")))
}

/// `groupadd [OPTIONS] NAME`: fails when NAME exists (unless `-f`).
pub fn group_add(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "groupadd" | "addgroup") {
        return None;
    }
    if c.has_option(&["-f", "--force"]) {
        return Some(Guard::Idempotent);
    }
    let n = only_positional(c, &["-r", "-o", "--system", "--non-unique"])?;
    Some(Guard::Unless(format!("getent group {n} >/dev/null 2>&1")))
}
