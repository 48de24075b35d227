//! The plain serde model every renderer consumes (contract: `shared/contracts/plan-json.md`).

use serde::{Deserialize, Serialize};

pub const PLAN_VERSION: u32 = 1;

/// The variable a fleet host's runbook reads its own address from.
pub const HOST_ADDRESS: &str = "HOST_ADDRESS";
/// The variable a fleet host's runbook reads its own name from.
pub const HOST_NAME: &str = "HOST_NAME";

/// `out/plan.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    pub version: u32,
    pub title: String,
    pub nodes: Vec<String>,
    pub variables: Vec<Variable>,
    pub phases: u32,
    pub steps: Vec<Step>,
    /// Hosts of each node (fleet); one host named after the node when the config names none.
    #[serde(default)]
    pub hosts: Vec<Host>,
    /// Networks, from the config or inferred from the guide.
    #[serde(default)]
    pub networks: Vec<Network>,
    /// The selected alternatives (`option name = value`).
    #[serde(default)]
    pub options: Vec<OptionChoice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Variable {
    pub name: String,
    pub secret: bool,
    pub description: String,
    /// Default value from the config (never set for secrets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Per-node values from the config or from the guide's example values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub per_node: Vec<NodeValue>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NodeValue {
    pub node: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Host {
    pub node: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Host-specific variable values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vars: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Network {
    pub name: String,
    pub cidr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// (node, interface, address) attachments.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Attachment {
    pub node: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OptionChoice {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    pub file: String,
    pub line: usize,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Command,
    File,
    Ini,
    Lines,
    Sql,
    Verify,
    Manual,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Command => "command",
            Kind::File => "file",
            Kind::Ini => "ini",
            Kind::Lines => "lines",
            Kind::Sql => "sql",
            Kind::Verify => "verify",
            Kind::Manual => "manual",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "command" => Kind::Command,
            "file" => Kind::File,
            "ini" => Kind::Ini,
            "lines" => Kind::Lines,
            "sql" => Kind::Sql,
            "verify" => Kind::Verify,
            "manual" => Kind::Manual,
            _ => return None,
        })
    }
    /// Korean label for the site and runbooks.
    pub fn label_ko(self) -> &'static str {
        match self {
            Kind::Command => "명령",
            Kind::File => "파일",
            Kind::Ini => "설정(ini)",
            Kind::Lines => "라인",
            Kind::Sql => "SQL",
            Kind::Verify => "확인",
            Kind::Manual => "수동",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Setting {
    pub section: String,
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StepOption {
    pub name: String,
    pub value: String,
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Step {
    pub id: String,
    pub source: Source,
    pub section: Vec<String>,
    pub title: String,
    pub nodes: Vec<String>,
    pub phase: u32,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<Setting>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<String>>,
    /// For `lines`: lines to comment out (prefix `#`) where present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comment_out: Vec<String>,
    pub original: String,
    pub run: String,
    pub variables: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<StepOption>,
    /// Last line of the step's text (inclusive), for the site.
    pub end_line: usize,
    /// The site page and anchor of the step, e.g. `ch01.html#step-abc`.
    pub anchor: String,
}

impl Step {
    /// Whether the step is part of the runbooks (not an unselected alternative).
    pub fn selected(&self) -> bool {
        self.option.as_ref().is_none_or(|o| o.selected)
    }

    /// Whether a manual step is a reboot (`reboot`, `shutdown -r now`, `systemctl reboot`, `init 6`).
    pub fn is_reboot(&self) -> bool {
        let step = self;
        if step.kind != Kind::Manual {
            return false;
        }
        let lines: Vec<&str> = step
            .original
            .lines()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        if lines.len() != 1 {
            return false;
        }
        let mut l = lines[0];
        // a prompt such as `root@controller$ ` or `(Controller)# `
        if let Some(k) = l.rfind(['$', '#']) {
            if k + 1 < l.len() && l[k + 1..].starts_with(' ') {
                l = l[k + 1..].trim();
            }
        }
        let l = l.strip_prefix("sudo ").unwrap_or(l).trim();
        let words: Vec<&str> = l.split_whitespace().collect();
        matches!(
            words.as_slice(),
            ["reboot"]
                | ["reboot", "now"]
                | ["shutdown", "-r", ..]
                | ["systemctl", "reboot"]
                | ["init", "6"]
        )
    }
}
