//! `ansible/`: an inventory and a playbook that run the node runbooks on a fleet, and
//! `runbooks/hosts/<host>.env` with each host's values for a site without Ansible.
//!
//! - `ansible/inventory.yml`: one group per node (`runbook_node` = the runbook's file name), its
//!   hosts with `ansible_host` (the host's address) and `runbook_env` (the host's values:
//!   `HOST_ADDRESS`, `HOST_NAME`, host vars; see [`crate::fleet`]).
//! - `ansible/site.yml`: a first play that copies each host's runbook (and the vars file given as
//!   `-e runbook_vars_file=PATH`, mode 0600) to `/root/runbook/`, then one play per phase in
//!   phase order on the groups of the nodes with steps in it, running
//!   `bash /root/runbook/<node>.sh --phase N --yes [--vars ...] [--check]` with the host's values
//!   in the environment. `changed` is the runbook's summary line (`changed=N`, N > 0), failure
//!   its exit status, check mode is the runbook's `--check`. `any_errors_fatal` keeps the phase
//!   contract: no host starts phase N+1 while one failed in phase N.
//!
//! Every value from the guide or the config is a JSON-quoted YAML scalar tagged `!unsafe`, so
//! Ansible neither parses nor templates it. Output is a pure function of the plan.

use crate::runbook::{file_name, node_steps};
use runbook_core::model::{Host, Plan, HOST_ADDRESS, HOST_NAME};
use runbook_core::output::{Emit, OutFile};
use runbook_core::quote::{one_line, valid_var_name};
use runbook_core::source::Compiled;

/// `ansible/`: an inventory and a playbook that runs the runbooks phase by phase.
pub struct Ansible;

impl crate::Renderer for Ansible {
    fn name(&self) -> &'static str {
        "ansible"
    }
    fn render(&self, c: &Compiled, emit: &Emit) -> anyhow::Result<()> {
        render(&c.plan).iter().try_for_each(emit)
    }
}

/// Where the playbook puts the runbooks on each host.
pub const REMOTE_DIR: &str = "/root/runbook";

pub fn render(plan: &Plan) -> Vec<OutFile> {
    let mut files = vec![
        OutFile {
            path: "ansible/inventory.yml".into(),
            bytes: inventory(plan).into_bytes(),
            executable: false,
        },
        OutFile {
            path: "ansible/site.yml".into(),
            bytes: playbook(plan).into_bytes(),
            executable: false,
        },
        OutFile {
            path: "ansible/ansible.cfg".into(),
            bytes: CFG.as_bytes().to_vec(),
            executable: false,
        },
    ];
    for h in &plan.hosts {
        let vars = host_env(h);
        if h.vars.is_empty() {
            continue;
        }
        files.push(OutFile {
            path: format!("runbooks/hosts/{}.env", safe_file(&h.name)).into(),
            bytes: env_file(h, &vars).into_bytes(),
            executable: false,
        });
    }
    files
}

const CFG: &str = "\
# runbook 이 만든 설정: 이 폴더에서 ansible-playbook site.yml 로 실행합니다.
[defaults]
inventory = inventory.yml
host_key_checking = True
retry_files_enabled = False
";

/// A JSON string is a valid YAML double-quoted scalar.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A value Ansible must take literally.
fn lit(s: &str) -> String {
    format!("!unsafe {}", q(s))
}

/// An Ansible group name for a node: `[a-z0-9_]`, not starting with a digit.
pub fn group_name(node: &str) -> String {
    let g = file_name(node).replace('-', "_");
    if g.starts_with(|c: char| c.is_ascii_digit()) {
        format!("node_{g}")
    } else {
        g
    }
}

fn safe_file(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_start_matches('.').to_string();
    if s.is_empty() {
        "host".into()
    } else {
        s
    }
}

/// The environment a host's runbook runs with: `HOST_ADDRESS`, `HOST_NAME`, then the host's
/// values (later ones win), variables the runbook cannot take left out.
pub fn host_env(h: &Host) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut set = |k: &str, v: &str| {
        if !valid_var_name(k) {
            return;
        }
        out.retain(|(x, _)| x != k);
        out.push((k.to_string(), v.to_string()));
    };
    if let Some(a) = &h.address {
        set(HOST_ADDRESS, a);
    }
    set(HOST_NAME, &h.name);
    for (k, v) in &h.vars {
        set(k, v);
    }
    out
}

pub fn inventory(plan: &Plan) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "# runbook 이 가이드 {} 에서 만든 인벤토리: 노드마다 그룹 하나, 호스트마다 값.\n",
        q(&one_line(&plan.title))
    ));
    s.push_str("# 호스트는 runbook.toml 의 [[nodes.hosts]] 에서 옵니다. 고치지 말고 설정을 고친 뒤 다시 빌드하세요.\n");
    s.push_str("all:\n  children:\n");
    for node in &plan.nodes {
        s.push_str(&format!("    {}:\n", group_name(node)));
        s.push_str("      vars:\n");
        s.push_str(&format!("        runbook_node: {}\n", q(&file_name(node))));
        let hosts: Vec<&Host> = plan.hosts.iter().filter(|h| &h.node == node).collect();
        if hosts.is_empty() {
            s.push_str("      hosts: {}\n");
            continue;
        }
        s.push_str("      hosts:\n");
        for h in hosts {
            s.push_str(&format!("        {}:\n", q(&h.name)));
            if let Some(a) = &h.address {
                s.push_str(&format!("          ansible_host: {}\n", lit(a)));
            }
            let env = host_env(h);
            if env.is_empty() {
                s.push_str("          runbook_env: {}\n");
            } else {
                s.push_str("          runbook_env:\n");
                for (k, v) in env {
                    s.push_str(&format!("            {}: {}\n", k, lit(&v)));
                }
            }
        }
    }
    s
}

pub fn playbook(plan: &Plan) -> String {
    let groups_of = |nodes: &[&String]| -> String {
        nodes
            .iter()
            .map(|n| group_name(n))
            .collect::<Vec<_>>()
            .join(":")
    };
    let all: Vec<&String> = plan.nodes.iter().collect();
    let mut s = String::new();
    s.push_str(&format!(
        "# runbook 이 가이드 {} 에서 만든 플레이북: 묶음(phase)마다 플레이 하나, 묶음 순서대로.\n",
        q(&one_line(&plan.title))
    ));
    s.push_str(
        "# 실행: ansible-playbook site.yml -e runbook_vars_file=/경로/vars.env (runbook secrets 가 만든 파일)\n\
         # 시험 실행(--check)은 각 호스트에서 런북의 --check 로 바뀝니다(런북 파일은 올립니다).\n\
         # 한 묶음이 모든 호스트에서 끝나야 다음 묶음이 시작합니다(any_errors_fatal).\n",
    );
    s.push_str("- name: \"runbook: 런북과 변수 파일 올리기\"\n");
    s.push_str(&format!("  hosts: {}\n", q(&groups_of(&all))));
    s.push_str("  gather_facts: false\n");
    s.push_str("  any_errors_fatal: true\n");
    s.push_str("  tasks:\n");
    s.push_str(&format!(
        "    - name: 런북 폴더\n      ansible.builtin.file:\n        path: {REMOTE_DIR}\n        state: directory\n        mode: \"0700\"\n      check_mode: false\n"
    ));
    s.push_str(&format!(
        "    - name: 노드의 런북\n      ansible.builtin.copy:\n        src: \"{{{{ playbook_dir }}}}/../runbooks/{{{{ runbook_node }}}}.sh\"\n        dest: \"{REMOTE_DIR}/{{{{ runbook_node }}}}.sh\"\n        mode: \"0700\"\n      check_mode: false\n"
    ));
    s.push_str(&format!(
        "    - name: 변수 파일\n      ansible.builtin.copy:\n        src: \"{{{{ runbook_vars_file }}}}\"\n        dest: {REMOTE_DIR}/vars.env\n        mode: \"0600\"\n      check_mode: false\n      no_log: true\n      when: runbook_vars_file is defined\n"
    ));
    // The phases each node has steps in, computed once (not once per phase: linear in the plan).
    let phases_of: Vec<std::collections::BTreeSet<u32>> = plan
        .nodes
        .iter()
        .map(|n| node_steps(plan, n).iter().map(|st| st.phase).collect())
        .collect();
    for phase in 1..=plan.phases {
        let nodes: Vec<&String> = plan
            .nodes
            .iter()
            .zip(&phases_of)
            .filter(|(_, ph)| ph.contains(&phase))
            .map(|(n, _)| n)
            .collect();
        if nodes.is_empty() {
            continue;
        }
        let names = nodes
            .iter()
            .map(|n| file_name(n))
            .collect::<Vec<_>>()
            .join(", ");
        s.push('\n');
        s.push_str(&format!(
            "- name: {}\n",
            q(&format!("묶음 {phase}/{}: {names}", plan.phases))
        ));
        s.push_str(&format!("  hosts: {}\n", q(&groups_of(&nodes))));
        s.push_str("  gather_facts: false\n");
        s.push_str("  any_errors_fatal: true\n");
        s.push_str("  tasks:\n");
        s.push_str(&format!(
            "    - name: {}\n",
            q(&format!("런북 묶음 {phase}"))
        ));
        s.push_str("      ansible.builtin.command:\n");
        s.push_str(&format!(
            "        cmd: \"bash {REMOTE_DIR}/{{{{ runbook_node }}}}.sh --phase {phase} --yes {{{{ '--vars {REMOTE_DIR}/vars.env' if runbook_vars_file is defined else '' }}}} {{{{ '--check' if ansible_check_mode else '' }}}}\"\n"
        ));
        s.push_str(
            "      environment: \"{{ runbook_env | default({}) | combine({'NO_COLOR': '1'}) }}\"\n",
        );
        s.push_str("      register: runbook_result\n");
        s.push_str("      check_mode: false\n");
        s.push_str(
            "      changed_when: runbook_result.stdout is regex('(?m)^ok=[0-9]+ changed=[1-9]')\n",
        );
        s.push_str("      failed_when: runbook_result.rc != 0\n");
    }
    s
}

/// `NAME=value` lines for `--vars` (appended to the secrets file) or `set -a; . FILE`.
fn env_file(h: &Host, vars: &[(String, String)]) -> String {
    let node = file_name(&h.node);
    let mut s = String::new();
    s.push_str(&format!(
        "# 호스트 {} (노드 {node}) 의 값. runbook 이 runbook.toml 에서 만든 파일입니다.\n",
        one_line(&h.name)
    ));
    s.push_str(&format!(
        "# 사용: set -a; . hosts/{}.env; set +a; bash {node}.sh --vars vars.env\n",
        safe_file(&h.name)
    ));
    s.push_str(&format!(
        "#  또는: cat vars.env hosts/{}.env >host-vars.env; bash {node}.sh --vars host-vars.env\n",
        safe_file(&h.name)
    ));
    for (k, v) in vars {
        let plain = !v.is_empty()
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._:/@%+,-".contains(&b));
        if plain {
            s.push_str(&format!("{k}={v}\n"));
        } else {
            s.push_str(&format!("{k}={}\n", runbook_core::quote::single(v)));
        }
    }
    s
}
