//! The rules of extraction, by name: every way of writing a guide that the compiler reads.
//!
//! Each decision about a step (its kind, its nodes, its file, or that it does not run) is taken
//! by one rule, and the step keeps the rule's name and the place in the guide it read
//! ([`Reason`]): `runbook list --explain ID` and the site's step cards show them, and
//! `runbook rules` lists this catalog. Rules of one kind of decision are tried in a fixed order,
//! the most explicit first; the order is the order of each list below.

use runbook_core::model::{Reason, Source};

/// What a rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    Kind,
    Nodes,
    File,
    Skip,
}

impl About {
    pub fn as_str(self) -> &'static str {
        match self {
            About::Kind => "kind",
            About::Nodes => "nodes",
            About::File => "file",
            About::Skip => "skip",
        }
    }
}

/// A way of writing the compiler reads.
#[derive(Debug)]
pub struct Rule {
    pub name: &'static str,
    pub about: About,
    /// What it reads, with an example of the guides' wording.
    pub reads: &'static str,
}

impl Rule {
    /// The decision this rule took, reading the guide at `at`.
    pub fn at(&'static self, at: &Source) -> Reason {
        Reason {
            about: self.about.as_str().to_string(),
            rule: self.name.to_string(),
            at: at.clone(),
        }
    }
}

macro_rules! rules {
    ($list:ident: $about:ident { $($id:ident = $name:literal : $reads:literal;)* }) => {
        $(pub static $id: Rule = Rule { name: $name, about: About::$about, reads: $reads };)*
        /// The rules of this decision, in the order they are tried.
        pub static $list: &[&Rule] = &[$(&$id),*];
    };
}

// Where a step runs, most explicit first (see `resolve`).
rules!(NODE_RULES: Nodes {
    ANNOTATION_NODES = "annotation":
        "`<!-- runbook: node=compute -->` before the block, item or heading";
    IN_BLOCK_SWITCH = "in-block-switch":
        "a line of its own inside the block naming where the lines after it run (`controller`, `compute node에서`), or a figure caption after the block naming its node";
    PROMPT_ALL = "prompt-all":
        "a prompt naming every node (`(All)#`)";
    PROMPT_OVER_SECTION = "prompt-over-section":
        "a prompt that contradicts the section wins when what the step touches was set up on the prompt's node";
    SECTION_OVER_PROMPT = "section-over-prompt":
        "a prompt that contradicts the section loses otherwise";
    PROMPT = "prompt":
        "the prompts of the step's lines (`root@controller#`, `(Compute)#`, `[root@nasa-master ~]#`)";
    SENTENCE_BEFORE = "sentence-before":
        "a sentence right before the block saying where it runs (`컨트롤러 노드에서 다음 명령을 실행`)";
    SECTION_SCOPE = "section-scope":
        "the node scope of the section: a heading naming nodes (`### Controller Node`, `설치 및 구성(Compute Node)`), or a scope line under it (`**Controller 노드에서 진행**`)";
    SECTION_ALL = "section-all":
        "a section said to run on every node (`(모든 노드 해당)`, `공통 작업 (모든 노드)`)";
    SET_UP_THERE = "set-up-there":
        "no signal: the step runs where what it touches (a file, a package, a service) was set up";
    CHECK_FOLLOWS = "check-follows-step":
        "no signal: a read-only check runs where the step before it in the chapter ran";
    SECTION_CONTINUES = "section-continues":
        "no signal: a section that runs on one machine goes on there";
    EVERY_NODE = "every-node":
        "no signal at all: the step runs on every node";
});

/// Every rule, for `runbook rules` and the documentation.
pub fn catalog() -> impl Iterator<Item = &'static Rule> {
    NODE_RULES.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in catalog() {
            assert!(seen.insert(r.name), "{} twice", r.name);
            assert!(
                r.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
                "{}",
                r.name
            );
            assert!(!r.reads.is_empty());
        }
    }
}
