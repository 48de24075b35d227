//! Annotations: `<!-- runbook: node=compute kind=lines path=/etc/x -->`, `<!-- runbook: skip -->`,
//! `<!-- runbook: option network=provider -->`.

use regex::Regex;
use runbook_core::model::Kind;
use std::sync::OnceLock;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    pub skip: bool,
    pub nodes: Option<Vec<String>>,
    pub kind: Option<Kind>,
    pub path: Option<String>,
    pub title: Option<String>,
    /// `option NAME=VALUE`: the next heading's section is one alternative.
    pub option: Option<(String, String)>,
    pub line: usize,
}

fn re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?s)<!--\s*runbook\s*:(.*?)-->").expect("static regex"))
}

fn word_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r#"([A-Za-z_-]+)(?:=(?:"([^"]*)"|(\S+)))?"#).expect("static regex"))
}

/// Parse the annotations in an HTML block; errors name what was not understood.
pub fn parse(html: &str, line: usize) -> Vec<Result<Annotation, String>> {
    re().captures_iter(html)
        .map(|c| {
            let body = c[1].trim();
            let mut a = Annotation {
                line,
                ..Default::default()
            };
            let mut words = word_re().captures_iter(body).peekable();
            while let Some(w) = words.next() {
                let key = w[1].to_ascii_lowercase();
                let val = w.get(2).or(w.get(3)).map(|m| m.as_str().to_string());
                match (key.as_str(), val) {
                    ("skip", None) => a.skip = true,
                    ("node" | "nodes", Some(v)) => {
                        a.nodes = Some(
                            v.split(',')
                                .map(|s| s.trim().to_ascii_lowercase())
                                .filter(|s| !s.is_empty())
                                .collect(),
                        )
                    }
                    ("kind", Some(v)) => {
                        a.kind = Some(Kind::parse(&v).ok_or_else(|| format!("unknown kind {v:?}"))?)
                    }
                    ("path", Some(v)) => a.path = Some(v),
                    ("title", Some(v)) => a.title = Some(v),
                    ("option", None) => {
                        let next = words.next().ok_or("option needs NAME=VALUE")?;
                        let v = next
                            .get(2)
                            .or(next.get(3))
                            .ok_or("option needs NAME=VALUE")?;
                        a.option = Some((next[1].to_string(), v.as_str().to_string()));
                    }
                    (k, _) => return Err(format!("unknown annotation {k:?}")),
                }
            }
            Ok(a)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        let a = parse("<!-- runbook: node=compute kind=lines path=/etc/x -->", 3);
        let a = a[0].clone().unwrap();
        assert_eq!(a.nodes, Some(vec!["compute".to_string()]));
        assert_eq!(a.kind, Some(Kind::Lines));
        assert_eq!(a.path.as_deref(), Some("/etc/x"));
        let b = parse("<!-- runbook: option network=provider -->", 1)[0]
            .clone()
            .unwrap();
        assert_eq!(b.option, Some(("network".into(), "provider".into())));
        assert!(parse("<!-- runbook: skip -->", 1)[0].clone().unwrap().skip);
        assert!(parse("<!-- runbook: frobnicate -->", 1)[0].is_err());
        assert!(parse("<!-- other -->", 1).is_empty());
    }
}
