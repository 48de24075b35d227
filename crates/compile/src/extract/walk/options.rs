//! Alternatives: sections a guide offers as choices (`<!-- runbook: option network=provider -->`
//! before a heading, or sections named after the choices a sentence offers: "Calico, Flannel,
//! Cilium … 중에서 … 하나를 선택"). Without a selection in the config, the first alternative runs.

use crate::extract::discover::Found;
use crate::extract::rules::{self, Rule};
use runbook_core::model::{Reason, Source, StepOption};
use std::collections::HashMap;

/// An alternative in force from a heading of `level` on (or, for a list item's, while the list
/// goes deeper than `depth`).
struct Alternative {
    level: u8,
    depth: Option<usize>,
    name: String,
    value: String,
    selected: bool,
    /// The rule that made a section not part of the install, and where.
    skip: Option<(&'static Rule, Source)>,
}

/// The options of what is not part of the install: never selected unless `runbook.toml` says so.
pub const NOT_INSTALLED: &[&str] = &["troubleshooting", "optional", "later", "notes"];

/// A section or item that is not part of the install: the option's name (its category) and the
/// rule that read it.
fn not_installed(text: &str) -> Option<(&'static str, &'static Rule)> {
    // every word below holds one of these: most headings hold none and are done at once
    static ANY: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let any = ANY.get_or_init(|| {
        regex::Regex::new(
            "(?i)troubleshoot|트러블|문제|오류 해결|에러 해결|faq|선택|옵션|optional|failover|페일오버|장애 조치|복구|recovery|업그레이드|upgrade|재설치|uninstall|teardown|리셋|reset|참고|reference",
        )
        .expect("static regex")
    });
    if !any.is_match(text) {
        return None;
    }
    let l = text.to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    if has(&[
        "troubleshoot",
        "트러블슈팅",
        "트러블 슈팅",
        "문제 해결",
        "문제해결",
        "오류 해결",
        "에러 해결",
        "faq",
    ]) {
        return Some(("troubleshooting", &rules::TROUBLESHOOTING_SECTION));
    }
    if has(&[
        "(선택)",
        "(옵션)",
        "(optional)",
        "선택 사항",
        "선택사항",
        "[optional]",
        "(선택 사항)",
    ]) || l
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "optional")
    {
        return Some(("optional", &rules::OPTIONAL_SECTION));
    }
    if has(&[
        "failover",
        "페일오버",
        "장애 조치",
        "복구",
        "recovery",
        "업그레이드",
        "upgrade",
        "재설치",
        "uninstall",
        "teardown",
        "리셋",
    ]) || l
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "reset")
    {
        return Some(("later", &rules::LATER_OPERATIONS));
    }
    let bare = l.trim_matches(|c: char| !c.is_alphanumeric() && !('가'..='힣').contains(&c));
    if matches!(
        bare,
        "참고" | "참고 사항" | "참고사항" | "참고자료" | "참고 자료" | "references" | "reference"
    ) || l.ends_with("참고 사항")
        || l.ends_with("참고자료")
    {
        return Some(("notes", &rules::NOTES_SECTION));
    }
    None
}

/// A heading as an option value: lowercase words joined by `-`.
fn slug(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
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
        self.stack.retain(|a| a.level < level && a.depth.is_none());
    }

    /// A paragraph at list depth `depth` (`item_start` when it opens a list item): the
    /// alternatives of items it is no longer inside end.
    pub fn on_depth(&mut self, depth: usize, item_start: bool) {
        self.stack.retain(|a| {
            a.depth
                .is_none_or(|d| depth > d || depth == d && !item_start)
        });
    }

    /// Why the current step is not part of the install, if it is not.
    pub fn skip_reason(&self) -> Option<Reason> {
        let (rule, at) = self.stack.iter().rev().find_map(|a| a.skip.as_ref())?;
        Some(rule.at(at))
    }

    /// A heading (or, with `depth`, a list item) that opens what is not part of the install:
    /// an alternative selected only when `runbook.toml` selects its category or its name.
    pub fn not_part_of_install(
        &mut self,
        text: &str,
        level: u8,
        depth: Option<usize>,
        at: Source,
        found: &Found,
    ) -> bool {
        let Some((name, rule)) = not_installed(text) else {
            return false;
        };
        let value = slug(text);
        let selected = found
            .options
            .get(name)
            .is_some_and(|v| v == "all" || v.split(',').any(|x| x.trim() == value));
        self.stack.push(Alternative {
            level,
            depth,
            name: name.to_string(),
            value,
            selected,
            skip: Some((rule, at)),
        });
        true
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
                depth: None,
                name,
                value,
                selected,
                skip: None,
            });
        }
    }

    /// `<!-- runbook: skip -->` before a heading: the section is an alternative never selected.
    pub fn skip_section(&mut self, level: u8) {
        self.stack.push(Alternative {
            level,
            depth: None,
            name: "skip".into(),
            value: "skip".into(),
            selected: false,
            skip: None,
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
    fn sections_not_part_of_the_install() {
        // several guides' headings and tags for each category
        for (text, name) in [
            (":bomb: troubleshooting", "troubleshooting"),
            ("5. 문제 해결", "troubleshooting"),
            ("(선택) kubeadmin 계정 생성", "optional"),
            ("(Optional) 고정 IP 설정", "optional"),
            ("3.4 Failover 테스트", "later"),
            ("클러스터 reset", "later"),
            ("✅ 참고 사항", "notes"),
        ] {
            assert_eq!(not_installed(text).map(|x| x.0), Some(name), "{text}");
        }
        // install steps that look alike
        for text in [
            "마스터 노드 초기화",
            "swap 비활성화",
            "기존 패키지 제거",
            "방화벽 설정",
            "참고: 포트 목록 확인 후 진행",
        ] {
            assert_eq!(not_installed(text), None, "{text}");
        }
    }

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
