//! The bundled guide: it compiles cleanly and the plan puts every service where the
//! official install guide puts it.

use runbook::model::{Kind, Plan};
use std::collections::BTreeSet;
use std::path::Path;

fn guide() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("guide")
}

fn plan() -> (Plan, runbook::diag::Diagnostics) {
    let c = runbook::compile(&guide()).expect("bundled guide compiles");
    (c.plan, c.diagnostics)
}

/// Packages installed and services enabled or started on a node by its selected steps.
fn installed(plan: &Plan, node: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut pkgs = BTreeSet::new();
    let mut units = BTreeSet::new();
    for s in plan
        .steps
        .iter()
        .filter(|s| s.selected() && s.nodes.iter().any(|n| n == node))
    {
        if s.kind() != Kind::Command {
            continue;
        }
        let joined = s.run.replace("\\\n", " ");
        for line in joined.lines() {
            let words: Vec<&str> = line.split_whitespace().filter(|w| *w != "\\").collect();
            if words.first() == Some(&"yum") {
                if let Some(i) = words.iter().position(|w| *w == "install") {
                    pkgs.extend(
                        words[i + 1..]
                            .iter()
                            .filter(|w| !w.starts_with('-'))
                            .map(|w| w.to_string()),
                    );
                }
            }
            if words.first() == Some(&"systemctl")
                && matches!(words.get(1), Some(&"enable") | Some(&"start"))
            {
                units.extend(
                    words[2..]
                        .iter()
                        .filter(|w| !w.starts_with('-'))
                        .map(|w| w.trim_end_matches(".service").to_string()),
                );
            }
        }
    }
    (pkgs, units)
}

#[test]
fn check_is_clean() {
    let (_, d) = plan();
    let shown: Vec<String> = d
        .sorted()
        .iter()
        .filter(|d| d.severity >= runbook::diag::Severity::Warning)
        .map(|d| d.to_string())
        .collect();
    assert!(shown.is_empty(), "check reports:\n{}", shown.join("\n"));
}

#[test]
fn at_most_15_annotations() {
    let mut n = 0;
    for e in std::fs::read_dir(guide()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            n += std::fs::read_to_string(&p)
                .unwrap()
                .matches("<!-- runbook:")
                .count();
        }
    }
    assert!(n <= 15, "{n} annotations");
}

#[test]
fn services_are_where_the_official_guide_puts_them() {
    let (p, _) = plan();
    assert_eq!(p.nodes, vec!["controller", "compute"]);
    let (cp, cu) = installed(&p, "controller");
    let (kp, ku) = installed(&p, "compute");
    for pkg in [
        "mariadb-server",
        "rabbitmq-server",
        "memcached",
        "etcd",
        "openstack-keystone",
        "httpd",
        "mod_wsgi",
        "openstack-glance",
        "openstack-placement-api",
        "openstack-nova-api",
        "openstack-nova-conductor",
        "openstack-nova-novncproxy",
        "openstack-nova-scheduler",
        "openstack-neutron",
        "openstack-neutron-ml2",
        "openstack-neutron-linuxbridge",
        "openstack-dashboard",
    ] {
        assert!(cp.contains(pkg), "controller lacks {pkg}: {cp:?}");
        assert!(
            !kp.contains(pkg) || pkg == "openstack-neutron-linuxbridge",
            "compute installs {pkg}"
        );
    }
    for unit in [
        "mariadb",
        "rabbitmq-server",
        "memcached",
        "etcd",
        "httpd",
        "openstack-glance-api",
        "openstack-nova-api",
        "openstack-nova-scheduler",
        "openstack-nova-conductor",
        "openstack-nova-novncproxy",
        "neutron-server",
        "neutron-linuxbridge-agent",
        "neutron-dhcp-agent",
        "neutron-metadata-agent",
        "neutron-l3-agent",
    ] {
        assert!(
            cu.contains(unit),
            "controller does not start {unit}: {cu:?}"
        );
        assert!(
            !ku.contains(unit) || unit == "neutron-linuxbridge-agent",
            "compute starts {unit}"
        );
    }
    for pkg in ["openstack-nova-compute", "openstack-neutron-linuxbridge"] {
        assert!(kp.contains(pkg), "compute lacks {pkg}: {kp:?}");
    }
    for unit in [
        "libvirtd",
        "openstack-nova-compute",
        "neutron-linuxbridge-agent",
    ] {
        assert!(ku.contains(unit), "compute does not start {unit}: {ku:?}");
    }
    assert!(!cp.contains("openstack-nova-compute"));
}

#[test]
fn every_password_of_the_security_table_is_secret() {
    let (p, _) = plan();
    let text = std::fs::read_to_string(guide().join("02-environment.md")).unwrap();
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split('|').next())
        .map(|n| n.trim().trim_matches('`'))
        .filter(|n| n.ends_with("PASS") || n.ends_with("SECRET"))
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    for n in names {
        if let Some(v) = p.variables.iter().find(|v| v.name == n) {
            assert!(v.secret, "{n} is not secret");
            assert!(v.value.is_none(), "{n} has a value in the plan");
        }
    }
    for v in [
        "RABBIT_PASS",
        "KEYSTONE_DBPASS",
        "ADMIN_PASS",
        "NOVA_PASS",
        "NEUTRON_DBPASS",
        "METADATA_SECRET",
    ] {
        assert!(
            p.variables.iter().any(|x| x.name == v && x.secret),
            "{v} missing or not secret"
        );
    }
    // every step that shows a password names it as a variable, so the runbook substitutes it
    for s in p.steps.iter().filter(|s| s.kind() != Kind::Manual) {
        for v in p.variables.iter().filter(|v| v.secret) {
            if s.original.contains(&v.name) {
                assert!(
                    s.variables.contains(&v.name),
                    "step {} shows {} but does not use it as a variable",
                    s.id,
                    v.name
                );
            }
        }
    }
}

#[test]
fn discover_hosts_runs_after_nova_compute_starts() {
    let (p, _) = plan();
    let start = p
        .steps
        .iter()
        .find(|s| {
            s.nodes == ["compute"]
                && s.run.contains("start")
                && s.run.contains("openstack-nova-compute")
        })
        .expect("nova-compute started on compute");
    let discover = p
        .steps
        .iter()
        .find(|s| s.run.contains("discover_hosts"))
        .expect("discover_hosts step");
    assert_eq!(discover.nodes, vec!["controller"]);
    assert!(
        discover.phase > start.phase,
        "{} <= {}",
        discover.phase,
        start.phase
    );
}

#[test]
fn the_selected_networking_option_runs_and_the_other_does_not() {
    let (p, _) = plan();
    let sel: Vec<_> = p.steps.iter().filter(|s| s.option.is_some()).collect();
    assert!(sel
        .iter()
        .any(|s| s.option.as_ref().unwrap().value == "selfservice" && s.selected()));
    assert!(sel
        .iter()
        .any(|s| s.option.as_ref().unwrap().value == "provider" && !s.selected()));
    assert!(sel
        .iter()
        .all(|s| s.selected() == (s.option.as_ref().unwrap().value == "selfservice")));
}

#[test]
fn ini_edits_are_settings_not_whole_files() {
    let (p, _) = plan();
    let keystone = p
        .steps
        .iter()
        .find(|s| s.path() == Some("/etc/keystone/keystone.conf"))
        .expect("keystone.conf edit");
    assert_eq!(keystone.kind(), Kind::Ini);
    let st = keystone.action.settings();
    assert!(st.iter().any(|s| s.section == "database"
        && s.key == "connection"
        && s.value == "mysql+pymysql://keystone:${KEYSTONE_DBPASS}@controller/keystone"));
    assert!(st
        .iter()
        .any(|s| s.section == "token" && s.key == "provider" && s.value == "fernet"));
    let chrony: Vec<_> = p
        .steps
        .iter()
        .filter(|s| s.path() == Some("/etc/chrony.conf"))
        .collect();
    assert!(chrony.iter().all(|s| s.kind() == Kind::Lines));
    assert!(chrony.iter().any(|s| s.nodes == ["compute"]
        && s.action
            .lines()
            .contains(&"server controller iburst".to_string())));
    assert!(chrony.iter().any(|s| s
        .action
        .comment_out()
        .iter()
        .any(|l| l == "server 0.centos.pool.ntp.org iburst")));
}
