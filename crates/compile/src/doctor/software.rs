//! What a step installs (packages, systemd units it writes) and which installed names a service
//! or a configuration folder belongs to, learnt from the names themselves: `chronyd` is
//! `chrony`'s, `neutron-server` is `openstack-neutron`'s, `/etc/docker/` is `docker-ce`'s.
//! A few well-known pairs whose names share nothing (`libvirtd` and `libvirt-daemon`) are a
//! fallback table.

use super::commands::Simple;
use runbook_core::model::Step;
use runbook_core::shell::unit_name;

/// What one step installs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Installed {
    /// Package names, normalised (`kubelet=1.28.0-00` → `kubelet`).
    pub packages: Vec<String>,
    /// Units whose unit file the step writes (`kafka` for `/etc/systemd/system/kafka.service`).
    pub units: Vec<String>,
}

impl Installed {
    pub fn is_empty(&self) -> bool {
        self.packages.is_empty() && self.units.is_empty()
    }
}

/// Package managers and the sub-command that installs.
const MANAGERS: &[(&str, &[&str])] = &[
    ("yum", &["install", "localinstall", "reinstall"]),
    ("dnf", &["install", "localinstall", "reinstall"]),
    ("apt-get", &["install"]),
    ("apt", &["install"]),
    ("zypper", &["install", "in"]),
    ("apk", &["add"]),
    ("snap", &["install"]),
    ("pip", &["install"]),
    ("pip3", &["install"]),
];

/// Well-known services and configuration folders whose package has another name.
const FALLBACK: &[(&str, &[&str])] = &[
    ("libvirtd", &["libvirt", "libvirt-daemon", "qemu-kvm"]),
    (
        "mysqld",
        &["mysql-server", "mariadb-server", "mysql-community-server"],
    ),
    ("my.cnf.d", &["mariadb-server", "mysql-server", "mariadb"]),
    ("named", &["bind"]),
    ("smb", &["samba"]),
    ("nfs-server", &["nfs-utils", "nfs-kernel-server"]),
];

/// What `step` installs, given its simple commands.
pub fn installed(step: &Step, cmds: &[Simple]) -> Installed {
    let mut out = Installed::default();
    if let Some(p) = step.path() {
        if let Some(u) = unit_file(p) {
            out.units.push(u);
        }
    }
    for c in cmds {
        for w in c.written() {
            if let Some(u) = unit_file(w) {
                out.units.push(u);
            }
        }
        if matches!(c.name.as_str(), "cp" | "mv" | "install" | "ln") {
            let pos = c.positionals(&["-m", "-o", "-g", "-t"]);
            if let Some((dest, srcs)) = pos.split_last() {
                for s in srcs {
                    if dest.contains("/systemd/") {
                        if let Some(u) = unit_file(s).or_else(|| unit_file(dest)) {
                            out.units.push(u);
                        }
                    }
                }
            }
        }
        packages(c, &mut out.packages);
    }
    out.packages.dedup();
    out.units.dedup();
    out
}

/// The packages a package-manager command installs.
fn packages(c: &Simple, out: &mut Vec<String>) {
    let name = c.name.as_str();
    if let Some((_, subs)) = MANAGERS.iter().find(|(m, _)| *m == name) {
        let Some(k) = c.args.iter().position(|a| subs.contains(&a.as_str())) else {
            return;
        };
        for a in &c.args[k + 1..] {
            if a.starts_with('-') || a.contains('$') || a.contains('*') || a.is_empty() {
                continue;
            }
            push(out, norm_package(a));
        }
    } else if matches!(name, "rpm" | "dpkg")
        && c.args
            .first()
            .is_some_and(|a| a.starts_with('-') && (a.contains('i') || a.contains('U')))
    {
        for a in c.args.iter().skip(1).filter(|a| !a.starts_with('-')) {
            push(out, norm_package(a));
        }
    }
}

fn push(out: &mut Vec<String>, p: String) {
    if p.len() >= 2 && !out.contains(&p) {
        out.push(p);
    }
}

/// The unit a systemd unit file path defines.
fn unit_file(path: &str) -> Option<String> {
    let base = path.rsplit('/').next()?;
    let u = base.strip_suffix(".service")?;
    (!u.is_empty() && !u.contains('$')).then(|| u.to_ascii_lowercase())
}

/// A package as a name: no version pin, architecture, file extension or folder.
pub fn norm_package(p: &str) -> String {
    let p = p.rsplit('/').next().unwrap_or(p);
    let p = p.split('=').next().unwrap_or(p);
    let mut p = p.to_ascii_lowercase();
    for ext in [
        ".rpm", ".deb", ".x86_64", ".noarch", ".aarch64", ":amd64", ":arm64",
    ] {
        if let Some(s) = p.strip_suffix(ext) {
            p = s.to_string();
        }
    }
    // name_1.2-3_amd64 (a .deb file) and name-1.2.3-1.el7 (a pinned or .rpm name)
    if let Some(i) = p.find('_') {
        p.truncate(i);
    }
    let cut = p.match_indices('-').map(|(i, _)| i).find(|&i| {
        let rest = &p[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && rest.as_bytes().get(digits) == Some(&b'.')
    });
    if let Some(i) = cut {
        p.truncate(i);
    }
    p
}

/// The names a package goes by: itself, without a vendor prefix, without a `.io`-like end.
fn stems(p: &str) -> impl Iterator<Item = &str> {
    let vendor = ["openstack-", "python-", "python2-", "python3-"]
        .iter()
        .find_map(|pre| p.strip_prefix(pre));
    let head = p.split_once('.').map(|(h, _)| h);
    std::iter::once(p)
        .chain(vendor)
        .chain(head)
        .filter(|s| s.len() >= 3)
}

/// `s` in lower case, borrowed when it already is.
fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Ends of a package name that still name the one program (`mariadb-server`, `docker-ce`).
const PROGRAM_ENDS: &[&str] = &[
    "server",
    "daemon",
    "ce",
    "ee",
    "io",
    "core",
    "engine",
    "oss",
    "community-server",
];

/// Whether the installed package `pkg` provides the service `name`: the same name (a `d` at
/// the end aside: `chronyd`), a service of the package's family (`openstack-glance` →
/// `openstack-glance-api`, `openstack-neutron` → `neutron-server`), or the package is the
/// program with a packaging end (`mariadb-server` → `mariadb`).
pub fn provides(name: &str, pkg: &str) -> bool {
    related(name, pkg, false)
}

/// Whether the installed package `pkg` owns the configuration folder `name` under /etc: any
/// package of the family (`nova-api-metadata` and `/etc/nova/`).
pub fn owns(name: &str, pkg: &str) -> bool {
    related(name, pkg, true)
}

/// Whether `name` (a service, a unit or the folder of a configuration file) belongs to the
/// installed package `pkg`; `family`: a longer package name of the family counts.
fn related(name: &str, pkg: &str, family: bool) -> bool {
    let name = lower(unit_name(name));
    let name = name.as_ref();
    let pkg = lower(pkg);
    let pkg = pkg.as_ref();
    if FALLBACK
        .iter()
        .any(|(n, ps)| *n == name && ps.contains(&pkg))
    {
        return true;
    }
    let without_d = name.strip_suffix('d').filter(|_| name.len() >= 4);
    let variants = std::iter::once(name).chain(without_d);
    let found = stems(pkg).any(|st| {
        variants.clone().any(|v| {
            let longer = st.len() > v.len()
                && st.starts_with(v)
                && st.as_bytes()[v.len()] == b'-'
                && (family || PROGRAM_ENDS.contains(&&st[v.len() + 1..]));
            st == v
                || (v.len() > st.len() && v.starts_with(st) && v.as_bytes()[st.len()] == b'-')
                || longer
        })
    });
    found
}

/// Whether a lower-cased command text names `name` (or its stem without a final `d`) at the
/// start of a word: a step that downloads or builds the software (`curl
/// https://get.docker.com | sh`).
pub fn mentions(text: &str, name: &str) -> bool {
    let name = lower(unit_name(name));
    let stem = match name.strip_suffix('d') {
        Some(s) if s.len() >= 3 => s,
        _ => name.as_ref(),
    };
    if !text.contains(stem) {
        return false;
    }
    let lower = text;
    lower.match_indices(stem).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::commands::simple;

    #[test]
    fn package_names() {
        assert_eq!(norm_package("kubelet=1.28.0-00"), "kubelet");
        assert_eq!(norm_package("kubelet-1.28.2-0"), "kubelet");
        assert_eq!(norm_package("openjdk-11-jdk"), "openjdk-11-jdk");
        assert_eq!(norm_package("./x/foo_1.2-3_amd64.deb"), "foo");
        assert_eq!(norm_package("python2-PyMySQL"), "python2-pymysql");
    }

    #[test]
    fn services_and_folders_belong_to_packages_by_name() {
        for (n, p) in [
            ("chronyd", "chrony"),
            ("mariadb", "mariadb-server"),
            ("neutron-server", "openstack-neutron"),
            ("openstack-glance-api", "openstack-glance"),
            ("docker", "docker-ce"),
            ("containerd", "containerd.io"),
            ("libvirtd", "libvirt"),
        ] {
            assert!(provides(n, p), "{n} {p}");
        }
        for (n, p) in [
            ("neutron-server", "openstack-neutron-linuxbridge"),
            ("nova-api", "nova-api-metadata"),
            ("httpd", "mod_wsgi"),
            ("docker", "docker-compose"),
        ] {
            assert!(!provides(n, p), "{n} {p}");
        }
        assert!(owns("nova", "openstack-nova-compute"));
        assert!(owns("nova", "nova-api-metadata"));
        assert!(owns("my.cnf.d", "mariadb-server"));
        assert!(!owns("hosts", "openstack-selinux"));
    }

    #[test]
    fn what_a_step_installs() {
        let step = crate::doctor::tests::step("c", &["a"], "yum install -y chrony vim\n");
        let got = installed(&step, &simple(&step.run));
        assert_eq!(got.packages, ["chrony", "vim"]);
        let text = "cat <<EOF > /etc/systemd/system/kafka.service\n[Unit]\nEOF\n";
        let step = crate::doctor::tests::step("c", &["a"], text);
        assert_eq!(installed(&step, &simple(text)).units, ["kafka"]);
        assert!(mentions("curl -fsSL https://get.docker.com | sh", "docker"));
        assert!(!mentions("yum install -y mariadb", "db"));
    }
}
