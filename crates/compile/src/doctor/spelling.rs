//! `placeholder-spelling` (RB001): the author typed a placeholder two ways (`RABBIT_PASS` and
//! `RABIT_PASS`, `NOVA_DBPASS` and `NOVA_DB_PASS`). The runbook then asks for two values and
//! the service fails to log in with the one it was not given.
//!
//! Two names are one spelling when, ignoring case, `_` and `-`, they are one edit apart (a
//! letter added, dropped, changed, or two swapped) and the edit is no digit (`NODE1_IP` and
//! `NODE2_IP` are two names). One of them must be used by a single step: a name used all
//! along is deliberate.
//!
//! A misspelling the guide does not declare may not even be read as a placeholder
//! (`metadata_proxy_shared_secret = METADATA_SECERT` is written as it stands): upper-case
//! words of the guide's text one edit from a placeholder count as its spellings too.

use super::{Ctx, Finding};
use regex::Regex;
use runbook_core::model::Step;
use std::sync::OnceLock;

/// A placeholder (or an upper-case word of the text) and the steps that use it, in guide
/// order.
struct Use<'p> {
    name: &'p str,
    steps: Vec<&'p Step>,
    /// A word of the text the guide does not read as a placeholder.
    literal: bool,
}

fn add<'p>(uses: &mut Vec<Use<'p>>, name: &'p str, s: &'p Step, literal: bool) {
    match uses.iter_mut().find(|u| u.name == name) {
        Some(u) => {
            if !u.steps.iter().any(|x| std::ptr::eq(*x, s)) {
                u.steps.push(s)
            }
        }
        None => uses.push(Use {
            name,
            steps: vec![s],
            literal,
        }),
    }
}

/// Upper-case words with `_` of a step's own text (`METADATA_SECERT`).
fn words(text: &str) -> impl Iterator<Item = &str> {
    static WORD: OnceLock<Regex> = OnceLock::new();
    WORD.get_or_init(|| Regex::new(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b").expect("static regex"))
        .find_iter(text)
        .map(|m| m.as_str())
}

pub(crate) fn check<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    let mut uses: Vec<Use<'p>> = Vec::new();
    for s in &ctx.steps {
        for v in &s.variables {
            add(&mut uses, v, s, false);
        }
    }
    let known = uses.len();
    for s in &ctx.steps {
        for w in words(&s.original) {
            if !uses[..known].iter().any(|u| u.name == w) {
                add(&mut uses, w, s, true);
            }
        }
    }
    for (i, a) in uses.iter().enumerate() {
        for b in &uses[i + 1..] {
            if (a.literal && b.literal) || !one_spelling(a.name, b.name) {
                continue;
            }
            // the odd one out: a word not read as a placeholder, else the rarer, else the
            // later of two used once
            let (odd, other) = if b.literal || (!a.literal && a.steps.len() >= b.steps.len()) {
                (b, a)
            } else {
                (a, b)
            };
            if !odd.literal && odd.steps.len() != 1 {
                continue;
            }
            let f = Finding::new(
                "RB001",
                odd.steps[0],
                if odd.literal {
                    format!(
                        "{} looks like a misspelling of the placeholder {} (used by {} step(s)); it is written as it stands",
                        odd.name,
                        other.name,
                        other.steps.len()
                    )
                } else {
                    format!(
                        "placeholder {} looks like a misspelling of {} (used by {} step(s)); the runbook asks for both",
                        odd.name,
                        other.name,
                        other.steps.len()
                    )
                },
            );
            out.push(f.with(other.steps[0]));
        }
    }
}

/// A name for comparison: uppercase, without `_` and `-`.
fn key(n: &str) -> Vec<char> {
    n.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether `a` and `b` are one name spelt two ways.
fn one_spelling(a: &str, b: &str) -> bool {
    let (x, y) = (key(a), key(b));
    if x.len().min(y.len()) < 4 {
        return false;
    }
    if x == y {
        return a != b;
    }
    one_edit(&x, &y)
}

/// One insertion, deletion, substitution or swap of neighbours, of no digit.
fn one_edit(x: &[char], y: &[char]) -> bool {
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let p = short.iter().zip(long).take_while(|(a, b)| a == b).count();
    if short.len() == long.len() {
        let n = short.len();
        // substitution at p, or a swap of p and p+1
        if short[p + 1..] == long[p + 1..] {
            return !short[p].is_ascii_digit() && !long[p].is_ascii_digit();
        }
        return p + 1 < n
            && short[p] == long[p + 1]
            && short[p + 1] == long[p]
            && short[p + 2..] == long[p + 2..];
    }
    // insertion of long[p]
    short[p..] == long[p + 1..] && !long[p].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::tests::{found, plan, step};

    #[test]
    fn one_name_spelt_two_ways() {
        assert!(one_spelling("RABBIT_PASS", "RABIT_PASS"));
        assert!(one_spelling("NOVA_DBPASS", "NOVA_DB_PASS"));
        assert!(one_spelling("KEYSTONE_DBPASS", "KEYSTONE_DBAPSS"));
        assert!(!one_spelling("NOVA_PASS", "NOVA_DBPASS"));
        assert!(!one_spelling("NODE1_IP", "NODE2_IP"));
        assert!(!one_spelling("NODE_IP", "NODE1_IP"));
        assert!(!one_spelling("A_B", "A_C"));
    }

    #[test]
    fn the_name_used_once_is_the_misspelling() {
        let mut a = step("a", &["c"], "x");
        a.variables = vec!["RABBIT_PASS".into()];
        let mut b = a.clone();
        b.id = "b".into();
        b.run = "x2".into();
        let mut c = step("c", &["c"], "y");
        c.variables = vec!["RABIT_PASS".into()];
        let got = found(&plan(vec![a.clone(), b.clone(), c]));
        assert_eq!(got, [("RB001".to_string(), 21, vec![1])]);
        // both used all along: deliberate
        let mut c2 = step("c", &["c"], "y");
        c2.variables = vec!["RABIT_PASS".into()];
        let mut d = c2.clone();
        d.id = "d".into();
        d.run = "y2".into();
        assert!(found(&plan(vec![a, b, c2, d])).is_empty());
    }
}
