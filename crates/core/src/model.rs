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
    /// What the steps install and enable on each node, in guide order.
    #[serde(default)]
    pub software: Vec<Software>,
}

impl Plan {
    /// The step whose text holds `file:line` (its first line to its last), if any: how a place
    /// named by a diagnostic is found among the steps.
    pub fn step_at(&self, at: &Source) -> Option<&Step> {
        self.steps.iter().find(|s| {
            s.source.file == at.file
                && s.source.line <= at.line
                && at.line <= s.end_line.max(s.source.line)
        })
    }
}

/// The packages a node's steps install and the services they enable, start or restart.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Software {
    pub node: String,
    pub packages: Vec<String>,
    pub services: Vec<String>,
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
    /// Made from the addresses the guide gives its nodes: neither the config nor the guide's
    /// prose declares it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
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

/// What a step does, with exactly the data its kind needs. In `plan.json` the variant is the
/// step's `kind` and its fields sit beside the step's own.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Action {
    /// Shell commands that change the node (`run` holds them, guarded).
    Command,
    /// The whole content of the file at `path`.
    File { path: String, content: String },
    /// Settings made under `[section]` headers of the file at `path`.
    Ini {
        path: String,
        settings: Vec<Setting>,
    },
    /// Lines ensured present in the file at `path` (a `KEY=VALUE` line replaces the key's
    /// assignment), and lines commented out where present.
    Lines {
        path: String,
        lines: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        comment_out: Vec<String>,
    },
    /// Statements for the local database client.
    Sql,
    /// Read-only checks.
    Verify,
    /// What the operator does by hand (`run` holds the instruction).
    Manual,
}

impl Action {
    pub fn kind(&self) -> Kind {
        match self {
            Action::Command => Kind::Command,
            Action::File { .. } => Kind::File,
            Action::Ini { .. } => Kind::Ini,
            Action::Lines { .. } => Kind::Lines,
            Action::Sql => Kind::Sql,
            Action::Verify => Kind::Verify,
            Action::Manual => Kind::Manual,
        }
    }

    /// The file a file, ini or lines step changes.
    pub fn path(&self) -> Option<&str> {
        match self {
            Action::File { path, .. } | Action::Ini { path, .. } | Action::Lines { path, .. } => {
                Some(path)
            }
            _ => None,
        }
    }

    /// The whole content a `file` step writes.
    pub fn content(&self) -> Option<&str> {
        match self {
            Action::File { content, .. } => Some(content),
            _ => None,
        }
    }

    /// The settings an `ini` step makes (none for other kinds).
    pub fn settings(&self) -> &[Setting] {
        match self {
            Action::Ini { settings, .. } => settings,
            _ => &[],
        }
    }

    /// The lines a `lines` step ensures (none for other kinds).
    pub fn lines(&self) -> &[String] {
        match self {
            Action::Lines { lines, .. } => lines,
            _ => &[],
        }
    }

    /// The lines a `lines` step comments out (none for other kinds).
    pub fn comment_out(&self) -> &[String] {
        match self {
            Action::Lines { comment_out, .. } => comment_out,
            _ => &[],
        }
    }

    /// The action of a kind that carries no data (`command`, `sql`, `verify`, `manual`).
    pub fn plain(kind: Kind) -> Option<Action> {
        Some(match kind {
            Kind::Command => Action::Command,
            Kind::Sql => Action::Sql,
            Kind::Verify => Action::Verify,
            Kind::Manual => Action::Manual,
            Kind::File | Kind::Ini | Kind::Lines => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Step {
    pub id: String,
    pub source: Source,
    pub section: Vec<String>,
    pub title: String,
    pub nodes: Vec<String>,
    pub phase: u32,
    #[serde(flatten)]
    pub action: Action,
    pub original: String,
    pub run: String,
    pub variables: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<StepOption>,
    /// Last line of the step's text (inclusive), for the site.
    pub end_line: usize,
    /// The site page and anchor of the step, e.g. `ch01.html#step-abc`.
    pub anchor: String,
    /// Why the step reads as it does: the rule behind each decision (its kind, nodes, file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<Reason>,
}

/// One decision about a step: what it settled, the rule that settled it, and where the guide
/// says what the rule read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Reason {
    /// `kind`, `nodes`, `file`, or `skip`.
    pub about: String,
    /// The rule's name (`runbook rules` lists them all).
    pub rule: String,
    /// The guide's words the rule read.
    pub at: Source,
}

impl Step {
    pub fn kind(&self) -> Kind {
        self.action.kind()
    }

    /// The file a file, ini or lines step changes.
    pub fn path(&self) -> Option<&str> {
        self.action.path()
    }

    /// Whether the step is part of the runbooks (not an unselected alternative).
    pub fn selected(&self) -> bool {
        self.option.as_ref().is_none_or(|o| o.selected)
    }

    /// Whether a manual step is a reboot (`reboot`, `shutdown -r now`, `systemctl reboot`, `init 6`).
    pub fn is_reboot(&self) -> bool {
        let step = self;
        if step.kind() != Kind::Manual {
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
