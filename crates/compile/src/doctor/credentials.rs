//! `credential-mismatch` (RB002): one account, two passwords. The guide creates a user with
//! one password (`rabbitmqctl add_user openstack RABBIT_PASS`, `GRANT … IDENTIFIED BY
//! 'NOVA_DBPASS'`, `openstack user create --password GLANCE_PASS glance`) and a service logs
//! in as that user with another (`transport_url = rabbit://openstack:RABIT_PASS@…`,
//! `connection = mysql+pymysql://nova:NOVA_PASS@…`, `[keystone_authtoken] password = …`), a
//! literal on one side and a placeholder on the other, or two placeholders.
//!
//! The first place that creates the account is the reference; every other creation and every
//! use is compared with it.

use super::{Ctx, Finding};
use regex::Regex;
use runbook_core::model::{Kind, Step};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Where an account's password is given.
#[derive(Debug, Clone, PartialEq)]
struct Cred {
    /// `RabbitMQ`, `database`, `Keystone`.
    system: &'static str,
    user: String,
    /// The password, placeholders as their bare name.
    value: String,
    /// Whether this place creates the account (else it logs in with it).
    creates: bool,
    /// What the place is (`rabbitmqctl add_user`, `transport_url`).
    what: String,
}

fn re(cell: &'static OnceLock<Regex>, src: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(src).expect("static regex"))
}

pub(crate) fn check<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    let mut all: Vec<(usize, Cred)> = Vec::new();
    for (i, s) in ctx.steps.iter().enumerate() {
        for c in creds(s, &ctx.written[i], &ctx.cmds[i]) {
            all.push((i, c));
        }
    }
    // the first place that creates each account, with a password
    let mut first: HashMap<(&str, &str), usize> = HashMap::new();
    for (k, (_, c)) in all.iter().enumerate() {
        if c.creates && !c.value.is_empty() {
            first.entry((c.system, c.user.as_str())).or_insert(k);
        }
    }
    let mut reported: Vec<(usize, &'static str, &str)> = Vec::new();
    for (k, (i, c)) in all.iter().enumerate() {
        let Some(&f) = first.get(&(c.system, c.user.as_str())) else {
            continue;
        };
        let (j, reference) = &all[f];
        if f == k || c.value == reference.value || c.value.is_empty() {
            continue;
        }
        let key = (*i, c.system, c.user.as_str());
        if reported.contains(&key) {
            continue;
        }
        reported.push(key);
        let f = Finding::new(
            "RB002",
            ctx.steps[*i],
            format!(
                "{} user {:?}: {} gives the password {}, but {} set it to {}",
                c.system,
                c.user,
                c.what,
                shown(&c.value),
                reference.what,
                shown(&reference.value)
            ),
        );
        out.push(f.with(ctx.steps[*j]));
    }
}

/// A value as the message shows it: placeholders by name, literals quoted.
fn shown(v: &str) -> String {
    if v.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        v.to_string()
    } else {
        format!("{v:?}")
    }
}

/// A password as written, compared as a value: quotes off, `${X}` and `$X` as `X`.
fn norm(v: &str) -> String {
    let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
    let v = v
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| v.strip_prefix('$'))
        .unwrap_or(v);
    v.to_string()
}

/// Every place in a step that gives an account's password.
fn creds(s: &Step, written: &str, cmds: &[super::commands::Simple]) -> Vec<Cred> {
    let mut out = Vec::new();
    for c in cmds {
        from_command(c, &mut out);
    }
    let run = match s.kind() {
        Kind::Command | Kind::Sql | Kind::Verify => s.run.as_str(),
        _ => "",
    };
    // the patterns only where their words are (most steps have none)
    let sql = ["IDENTIFIED", "identified", "PASSWORD", "password"];
    if matches!(s.kind(), Kind::Sql | Kind::Command) && has_any(run, &sql) {
        from_sql(run, &mut out);
    }
    for text in [written, run] {
        if text.contains("://") {
            from_urls(text, &mut out);
        }
        if text.contains("OS_PASSWORD") {
            from_openrc(text, &mut out);
        }
    }
    from_settings(s, &mut out);
    // `--password-prompt`: the password is what the operator types, unknown to the guide
    out.retain(|c| !(c.creates && prompted(&s.original, &c.user)));
    out
}

fn has_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// Whether the guide's own text asks for `user`'s password at a prompt
/// (`openstack user create --password-prompt glance`).
fn prompted(original: &str, user: &str) -> bool {
    original.lines().any(|l| {
        l.contains("--password-prompt")
            && l.split_whitespace()
                .any(|w| w.trim_matches(|c| c == '"' || c == '\'') == user)
    })
}

fn from_command(c: &super::commands::Simple, out: &mut Vec<Cred>) {
    let cred = |system, user: &str, value: &str, what: &str| Cred {
        system,
        user: user.to_string(),
        value: norm(value),
        creates: true,
        what: what.to_string(),
    };
    match c.name.as_str() {
        "rabbitmqctl" if c.arg_is(0, "add_user") || c.arg_is(0, "change_password") => {
            let p = c.positionals(&[]);
            if let (Some(u), Some(v)) = (p.get(1), p.get(2)) {
                let what = format!("rabbitmqctl {}", p[0]);
                out.push(cred("RabbitMQ", u, v, &what));
            }
        }
        "openstack" if c.arg_is(0, "user") && (c.arg_is(1, "create") || c.arg_is(1, "set")) => {
            let takes = [
                "--domain",
                "--password",
                "--project",
                "--project-domain",
                "--email",
                "--description",
            ];
            let p = c.positionals(&takes);
            if let (Some(u), Some(v)) = (p.get(2), c.opt(&["--password"])) {
                let what = format!("openstack user {} --password", p[1]);
                out.push(cred("Keystone", u, v, &what));
            }
        }
        "keystone-manage" if c.arg_is(0, "bootstrap") => {
            if let Some(v) = c.opt(&["--bootstrap-password"]) {
                let u = c.opt(&["--bootstrap-username"]).unwrap_or("admin");
                out.push(cred("Keystone", u, v, "keystone-manage bootstrap"));
            }
        }
        _ => {}
    }
}

/// `GRANT … TO 'u'@'h' IDENTIFIED BY 'p'`, `CREATE USER 'u'@'h' IDENTIFIED BY 'p'`,
/// `ALTER USER … IDENTIFIED BY`, `SET PASSWORD FOR 'u'@'h' = PASSWORD('p')`.
fn from_sql(text: &str, out: &mut Vec<Cred>) {
    static IDENTIFIED: OnceLock<Regex> = OnceLock::new();
    static SET: OnceLock<Regex> = OnceLock::new();
    let ident = re(
        &IDENTIFIED,
        r#"(?i)\b(GRANT\b[^;]*?\bTO|CREATE\s+USER(?:\s+IF\s+NOT\s+EXISTS)?|ALTER\s+USER(?:\s+IF\s+EXISTS)?)\s+['"`]?([\w.-]+)['"`]?(?:\s*@\s*['"`]?[^'"`\s]*['"`]?)?\s+IDENTIFIED\s+(?:WITH\s+\S+\s+)?BY\s+['"]([^'"\n]*)['"]"#,
    );
    let set = re(
        &SET,
        r#"(?i)\bSET\s+PASSWORD\s+FOR\s+['"`]?([\w.-]+)['"`]?(?:\s*@\s*['"`]?[^'"`\s]*['"`]?)?\s*=\s*PASSWORD\s*\(\s*['"]([^'"\n]*)['"]"#,
    );
    for c in ident.captures_iter(text) {
        let verb = c[1].split_whitespace().next().unwrap_or("").to_uppercase();
        out.push(Cred {
            system: "database",
            user: c[2].to_string(),
            value: norm(&c[3]),
            creates: true,
            what: format!("{verb} … IDENTIFIED BY"),
        });
    }
    for c in set.captures_iter(text) {
        out.push(Cred {
            system: "database",
            user: c[1].to_string(),
            value: norm(&c[2]),
            creates: true,
            what: "SET PASSWORD".into(),
        });
    }
}

/// `rabbit://u:p@host`, `mysql+pymysql://u:p@host/db`, `postgresql://u:p@host/db` in values.
fn from_urls(text: &str, out: &mut Vec<Cred>) {
    for u in super::scan::urls(text) {
        let scheme = u.scheme;
        let (system, what) = match scheme.split('+').next().unwrap_or(scheme) {
            "rabbit" | "amqp" => ("RabbitMQ", "transport_url"),
            "mysql" | "mariadb" | "postgres" | "postgresql" => ("database", "connection"),
            _ => continue,
        };
        for (user, pass) in u.credentials() {
            out.push(Cred {
                system,
                user: user.to_string(),
                value: norm(pass),
                creates: false,
                what: format!("{what} ({scheme}://{user}:…)"),
            });
        }
    }
}

/// `username` and `password` settings of one section (`[keystone_authtoken]`, `[placement]`).
fn from_settings(s: &Step, out: &mut Vec<Cred>) {
    let settings = s.action.settings();
    let mut sections: Vec<&str> = settings.iter().map(|x| x.section.as_str()).collect();
    sections.dedup();
    for sec in sections {
        let get = |k: &str| {
            settings
                .iter()
                .filter(|x| x.section == sec && x.key == k)
                .map(|x| x.value.as_str())
                .next_back()
        };
        let keystone = sec == "keystone_authtoken" || get("auth_url").is_some();
        if let (true, Some(u), Some(p)) = (keystone, get("username"), get("password")) {
            out.push(Cred {
                system: "Keystone",
                user: norm(u),
                value: norm(p),
                creates: false,
                what: format!("[{sec}] password"),
            });
        }
    }
}

/// `OS_USERNAME=u` with `OS_PASSWORD=p` in one step (an openrc file, exports).
fn from_openrc(text: &str, out: &mut Vec<Cred>) {
    static USER: OnceLock<Regex> = OnceLock::new();
    static PASS: OnceLock<Regex> = OnceLock::new();
    let user = re(&USER, r#"\bOS_USERNAME\s*=\s*(\S+)"#);
    let pass = re(&PASS, r#"\bOS_PASSWORD\s*=\s*(\S+)"#);
    if let (Some(u), Some(p)) = (user.captures(text), pass.captures(text)) {
        out.push(Cred {
            system: "Keystone",
            user: norm(&u[1]),
            value: norm(&p[1]),
            creates: false,
            what: "OS_PASSWORD".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::tests::{found, ini, plan, step};

    #[test]
    fn a_use_with_another_password_than_the_account_was_given() {
        let add = step(
            "a",
            &["c"],
            "rabbitmqctl add_user openstack \"${RABBIT_PASS}\"",
        );
        let good = ini(
            "b",
            &["c"],
            "/etc/nova/nova.conf",
            &[(
                "DEFAULT",
                "transport_url",
                "rabbit://openstack:${RABBIT_PASS}@controller",
            )],
        );
        let bad = ini(
            "c",
            &["c"],
            "/etc/neutron/neutron.conf",
            &[(
                "DEFAULT",
                "transport_url",
                "rabbit://openstack:openstack@controller",
            )],
        );
        assert_eq!(
            found(&plan(vec![add, good, bad])),
            [("RB002".to_string(), 21, vec![1])]
        );
    }

    #[test]
    fn database_and_keystone_accounts() {
        let mut out = Vec::new();
        from_sql(
            "GRANT ALL PRIVILEGES ON nova.* TO 'nova'@'%' IDENTIFIED BY '${NOVA_DBPASS}';\nCREATE USER IF NOT EXISTS hive@localhost IDENTIFIED BY 'hive';",
            &mut out,
        );
        assert_eq!(out[0].user, "nova");
        assert_eq!(out[0].value, "NOVA_DBPASS");
        assert_eq!(
            (out[1].user.as_str(), out[1].value.as_str()),
            ("hive", "hive")
        );
        let s = ini(
            "k",
            &["c"],
            "/etc/glance/glance-api.conf",
            &[
                ("keystone_authtoken", "username", "glance"),
                ("keystone_authtoken", "password", "${GLANCE_PASS}"),
            ],
        );
        let mut out = Vec::new();
        from_settings(&s, &mut out);
        assert_eq!(
            (out[0].user.as_str(), out[0].value.as_str()),
            ("glance", "GLANCE_PASS")
        );
        let mut out = Vec::new();
        from_openrc(
            "export OS_USERNAME=admin\nexport OS_PASSWORD=ADMIN_PASS\n",
            &mut out,
        );
        assert_eq!(out[0].value, "ADMIN_PASS");
    }

    #[test]
    fn a_password_typed_at_a_prompt_is_unknown() {
        // the guide asks for the password and uses the one it had in mind later
        let mut add = step(
            "a",
            &["c"],
            "openstack user create --domain default --password \"${GLANCE_PASS}\" glance",
        );
        add.original = "# openstack user create --domain default --password-prompt glance".into();
        let used = ini(
            "b",
            &["c"],
            "/etc/glance/glance-api.conf",
            &[
                ("keystone_authtoken", "username", "glance"),
                ("keystone_authtoken", "password", "root"),
            ],
        );
        assert!(found(&plan(vec![add, used])).is_empty());
    }
}
