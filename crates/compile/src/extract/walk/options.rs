//! Alternatives: sections a guide offers as choices (`<!-- runbook: option network=provider -->`
//! before a heading, or sections named after the choices a sentence offers: "Calico, Flannel,
//! Cilium … 중에서 … 하나를 선택"). Without a selection in the config, the first alternative runs.

use crate::extract::discover::Found;
use runbook_core::model::StepOption;
use std::collections::HashMap;

/// An alternative in force from a heading of `level` on.
struct Alternative {
    level: u8,
    name: String,
    value: String,
    selected: bool,
}

pub struct Options<'a> {
    stack: Vec<Alternative>,
    /// An annotation or a heading named after a choice: the next heading's section is this
    /// alternative (name, value).
    next: Option<(String, String)>,
    /// Choices a sentence offered (option name, lowercase values), for the sections after it.
    choices: Option<(String, Vec<String>)>,
    /// The first value seen of each option in this chapter.
    first: &'a mut HashMap<String, String>,
}

impl<'a> Options<'a> {
    pub fn new(first: &'a mut HashMap<String, String>) -> Options<'a> {
        Options {
            stack: Vec::new(),
            next: None,
            choices: None,
            first,
        }
    }

    /// The alternative the current section belongs to.
    pub fn current(&self) -> Option<StepOption> {
        self.stack.last().map(|a| StepOption {
            name: a.name.clone(),
            value: a.value.clone(),
            selected: a.selected,
        })
    }

    pub fn on_heading(&mut self, level: u8) {
        self.stack.retain(|a| a.level < level);
    }

    /// `<!-- runbook: option NAME=VALUE -->`: the next heading's section is that alternative.
    pub fn annotate_next(&mut self, name: String, value: String) {
        self.next = Some((name, value));
    }

    /// A sentence offered choices.
    pub fn offer(&mut self, choices: (String, Vec<String>)) {
        self.choices = Some(choices);
    }

    /// A heading of `level`: the alternative an annotation announced, or a section named after
    /// one of the choices offered, starts here.
    pub fn heading_alternative(&mut self, level: u8, text: &str, found: &Found) {
        if self.next.is_none() {
            if let Some((name, choices)) = &self.choices {
                let words = heading_words(text);
                let named: Vec<&String> = choices.iter().filter(|c| words.contains(c)).collect();
                if !named.is_empty() && words.first().is_some_and(|w| choices.contains(w)) {
                    let value = named
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(",");
                    self.next = Some((name.clone(), value));
                }
            }
        }
        if let Some((name, value)) = self.next.take() {
            let first = self
                .first
                .entry(name.clone())
                .or_insert_with(|| value.split(',').next().unwrap_or("").to_string())
                .clone();
            let chosen = found.options.get(&name).cloned().unwrap_or(first);
            let selected = value.split(',').any(|v| v == chosen);
            self.stack.push(Alternative {
                level,
                name,
                value,
                selected,
            });
        }
    }

    /// `<!-- runbook: skip -->` before a heading: the section is an alternative never selected.
    pub fn skip_section(&mut self, level: u8) {
        self.stack.push(Alternative {
            level,
            name: "skip".into(),
            value: "skip".into(),
            selected: false,
        });
    }
}

/// The words of a heading after its numbering, lowercase.
fn heading_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '/')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .collect()
}

/// "Calico, Flannel, Cilium 3개의 Network Plugin 중에서 … 하나를 선택": the option's name and its
/// choices, in order.
pub fn offered_choices(text: &str) -> Option<(String, Vec<String>)> {
    static LIST: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static NAME: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| {
        regex::Regex::new(r"(?-u:\b)([A-Za-z][A-Za-z0-9.-]*(?:(?:\s*[,/]\s*|\s+(?:또는|or)\s+)[A-Za-z][A-Za-z0-9.-]*)+)").expect("static regex")
    });
    let name_re = NAME.get_or_init(|| {
        regex::Regex::new(r"([A-Za-z][A-Za-z0-9 _-]*?)\s*(?:을|를|중|인)").expect("static regex")
    });
    if !(text.contains("선택") && (text.contains("중") || text.contains("하나"))) {
        return None;
    }
    let m = list.find(text)?;
    let values: Vec<String> = m
        .as_str()
        .split([',', '/'])
        .flat_map(|p| p.split("또는"))
        .map(|v| v.trim().trim_start_matches("or ").trim().to_lowercase())
        .filter(|v| !v.is_empty())
        .collect();
    if values.len() < 2 {
        return None;
    }
    let rest = &text[m.end()..];
    let name = name_re
        .captures_iter(rest)
        .map(|c| c[1].trim().to_lowercase().replace(' ', "-"))
        .find(|n| !n.is_empty() && !values.contains(n))
        .unwrap_or_else(|| "choice".to_string());
    Some((name, values))
}

/// `(10) 쿠버네티스 구성`, `2.1. Master Node`, `3-1. …`: a numbered heading.
pub fn numbered_heading(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix('(').unwrap_or(t);
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && t[digits..].starts_with([')', '.', '-', ' '])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_offered_in_prose() {
        let t = "Cluster 구축을 위한 옵션은 이용할 Network Plugin에 따라 달라진다. 따라서 Cluster 구축전 Calico, Flannel, Cilium 3개의 Network Plugin인 중에서 이용할 Network Plugin을 하나를 선택해야 한다.";
        assert_eq!(
            offered_choices(t),
            Some((
                "network-plugin".to_string(),
                vec!["calico".into(), "flannel".into(), "cilium".into()]
            ))
        );
        assert_eq!(
            heading_words("4.1.1. Calico 기반 구축"),
            vec!["calico", "기반", "구축"]
        );
        assert!(numbered_heading("(10) 쿠버네티스 구성"));
        assert!(numbered_heading("2.1. Master Node"));
        assert!(!numbered_heading("컴포넌트 초기화"));
    }
}
