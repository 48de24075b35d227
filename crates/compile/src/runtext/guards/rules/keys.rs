//! Generated keys, certificates and answer files; key copies to other hosts.

use super::super::cmd::{self, Cmd};
use super::super::Guard;

/// `ssh-keygen [-t TYPE] [-f FILE] [-N PASS]`: into an existing FILE it asks whether to
/// overwrite, without `-f` it asks for a file, without `-N` for a passphrase. Skipped when FILE
/// exists; the file a reader gets by pressing Enter (`~/.ssh/id_TYPE`, RSA when no type is
/// given) and an empty passphrase are written out so that it never asks.
pub fn ssh_keygen(c: &Cmd) -> Option<Guard> {
    const OTHER_MODES: &[&str] = &[
        "-l", "-y", "-R", "-F", "-H", "-p", "-c", "-e", "-i", "-k", "-Q", "-s", "-L", "-A", "-D",
        "-B", "-Y",
    ];
    if c.name() != "ssh-keygen" {
        return None;
    }
    if c.args().iter().any(|w| OTHER_MODES.contains(&w.text())) {
        return None;
    }
    let mut extra = String::new();
    let file = match c.opt(&["-f"]) {
        Some(f) => f.to_string(),
        None => {
            let t = match c.opt(&["-t"]) {
                Some(t) => t.to_string(),
                None => {
                    extra.push_str(" -t rsa");
                    "rsa".to_string()
                }
            };
            if !t.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') {
                return None;
            }
            let t = t.trim_end_matches("-sk");
            let f = format!("~/.ssh/id_{t}");
            extra.push_str(&format!(" -f {f}"));
            f
        }
    };
    if c.opt(&["-N"]).is_none() {
        extra.push_str(" -N ''");
    }
    let query = format!("[ -e {file} ]");
    if extra.is_empty() {
        return Some(Guard::Unless(query));
    }
    let last = c.args().len().checked_sub(1);
    let text = c.insert_after(last, &extra);
    Some(Guard::Replace(cmd::unless(&query, &text, c.chained())))
}

/// The file a generator writes: `openssl req|genrsa|genpkey|x509|ecparam|dhparam|rand … -out
/// FILE`, `TOOL --gen-…=FILE` / `--gen-… FILE` (packstack's answer file),
/// `…-certutil … --out FILE`.
fn generated(c: &Cmd) -> Option<String> {
    let name = c.name();
    if name == "openssl" {
        let sub = c.arg(0)?;
        if !matches!(
            sub,
            "req" | "genrsa" | "genpkey" | "x509" | "ecparam" | "dhparam" | "rand" | "gendsa"
        ) {
            return None;
        }
        return c.opt(&["-out"]).map(str::to_string);
    }
    if name.ends_with("-certutil") {
        return c.opt(&["--out"]).map(str::to_string);
    }
    let args = c.args();
    for (i, w) in args.iter().enumerate() {
        let l = w
            .lit
            .as_deref()
            .or_else(|| w.raw.split_once('=').map(|p| p.0))?;
        if l.starts_with("--gen-") {
            if let Some((_, v)) = w.raw.split_once('=') {
                return Some(v.to_string());
            }
            return args
                .get(i + 1)
                .filter(|v| !v.is_option())
                .map(|v| v.raw.to_string());
        }
    }
    None
}

/// A generated key, certificate or answer file: a second run would overwrite it (and the
/// edits made to it since) or ask; skipped when the file exists.
pub fn generated_file(c: &Cmd) -> Option<Guard> {
    let f = generated(c)?;
    if f.is_empty() || f == "-" || f.starts_with("/dev/") {
        return None;
    }
    Some(Guard::Unless(format!("[ -e {f} ]")))
}

/// `gpg --dearmor -o FILE` asks before overwriting FILE: `--batch --yes` overwrites it with
/// the same key.
pub fn gpg_dearmor(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "gpg" | "gpg2") || !c.has_option(&["--dearmor", "--enarmor"]) {
        return None;
    }
    c.opt(&["-o", "--output"])?;
    if c.has_option(&["--yes"]) {
        return Some(Guard::Idempotent);
    }
    Some(Guard::Replace(c.insert_after(None, " --batch --yes")))
}

/// `ssh-copy-id [-i KEY] [-f] [-p PORT] [USER@]HOST` asks to accept the host key, and with
/// `-f` appends the key again on every run: `rb_ssh_copy_id` appends it only when missing and
/// accepts a new host key (a password, when needed, is still asked on the terminal).
pub fn ssh_copy_id(c: &Cmd) -> Option<Guard> {
    if c.name() != "ssh-copy-id" {
        return None;
    }
    Some(Guard::Replace(c.swap_command("rb_ssh_copy_id")))
}
