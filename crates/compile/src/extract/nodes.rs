//! Node names: recognise them in headings, prose and prompts (also misspelt or in Korean), and
//! read where a passage says its commands run.

use regex::Regex;
use std::sync::OnceLock;

/// Role words that name nodes in install guides.
pub const ROLES: &[&str] = &[
    "controller",
    "compute",
    "network",
    "storage",
    "master",
    "worker",
    "deploy",
    "registry",
    "ceph",
    "monitoring",
    "block",
    "object",
    "database",
    "infra",
    "bastion",
    "loadbalancer",
    "gateway",
    "slave",
    "sentinel",
    "data",
    "client",
    "second",
    "secondary",
    "primary",
    "standby",
    "replica",
    "broker",
    "namenode",
    "datanode",
    "etcd",
    "manager",
    "agent",
];

const KOREAN: &[(&str, &str)] = &[
    ("컨트롤러", "controller"),
    ("컨트롤", "controller"),
    ("컴퓨트", "compute"),
    ("컴퓨팅", "compute"),
    ("네트워크", "network"),
    ("스토리지", "storage"),
    ("마스터", "master"),
    ("워커", "worker"),
    ("작업자", "worker"),
    ("배포", "deploy"),
    ("슬레이브", "slave"),
    ("데이터베이스", "database"),
    ("네임노드", "namenode"),
    ("데이터노드", "datanode"),
    ("데이터", "data"),
    ("센티넬", "sentinel"),
    ("센티널", "sentinel"),
    ("클라이언트", "client"),
    ("세컨드", "second"),
    ("스탠바이", "standby"),
    ("프라이머리", "primary"),
    ("브로커", "broker"),
    ("매니저", "manager"),
    ("에이전트", "agent"),
];

const ALL_WORDS: &[&str] = &["all", "모든", "전체", "각", "every", "both", "모두", "양쪽"];

/// What a name denotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Canon {
    All,
    Node(String),
}

/// Edit distance of two short ASCII words (role names are at most 16 bytes), without allocating.
fn levenshtein(a: &[u8], b: &[u8]) -> usize {
    const N: usize = 17;
    if a.len() >= N || b.len() >= N {
        return usize::MAX;
    }
    let mut prev = [0usize; N];
    let mut cur = [0usize; N];
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A role word, allowing small misspellings (`Contorller`) and trailing digits (`compute1`).
pub fn role(word: &str) -> Option<&'static str> {
    let w = lower(word.trim());
    for (k, v) in KOREAN {
        if w.starts_with(k) {
            return Some(v);
        }
    }
    let stem = w
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches(['-', '_']);
    if stem.is_empty() {
        return None;
    }
    if let Some(r) = ROLES.iter().find(|r| **r == stem) {
        return Some(r);
    }
    if stem.len() >= 6 && stem.is_ascii() {
        let limit = if stem.len() >= 8 { 2 } else { 1 };
        if let Some(r) = ROLES
            .iter()
            .filter(|r| r.len() >= 6 && r.len().abs_diff(stem.len()) <= limit)
            .find(|r| levenshtein(stem.as_bytes(), r.as_bytes()) <= limit)
        {
            return Some(r);
        }
    }
    None
}

/// Canonical node for a label such as a prompt's host or role (`nasa-master`, `compute1`,
/// `Contorller`, `All`), or `None` when it names nothing recognisable.
pub fn canon_label(label: &str, known: &[String]) -> Option<Canon> {
    let l = lower(label.trim());
    if l.is_empty() {
        return None;
    }
    let first = l.split_whitespace().next().unwrap_or("");
    if ALL_WORDS.contains(&first) {
        return Some(Canon::All);
    }
    if let Some(k) = known.iter().find(|k| **k == l) {
        return Some(Canon::Node(k.clone()));
    }
    if let Some(r) = role(&l) {
        return Some(Canon::Node(r.to_string()));
    }
    // host names: parts split on - _ . (`nasa-master`, `k8s-worker-1`)
    for part in l.split(['-', '_', '.']) {
        if let Some(k) = known.iter().find(|k| **k == part) {
            return Some(Canon::Node(k.clone()));
        }
        if let Some(r) = role(part) {
            return Some(Canon::Node(r.to_string()));
        }
    }
    None
}

/// Canonical node for a prompt label: like [`canon_label`], but an unknown plain word names a node
/// of its own (`(Registry)#`, `[root@myhost ~]#`).
pub fn canon_prompt(label: &str, known: &[String]) -> Vec<Canon> {
    let mut out = Vec::new();
    for part in label.split([',', '/', '&']) {
        let p = part
            .trim()
            .trim_end_matches(" node")
            .trim_end_matches(" Node");
        let p = p.split_whitespace().next().unwrap_or("");
        if p.is_empty() {
            continue;
        }
        if let Some(c) = canon_label(p, known) {
            out.push(c);
        } else if p
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && p.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        {
            let w = p.to_lowercase();
            if w != "root" && w != "localhost" && w != "chroot" {
                out.push(Canon::Node(w));
            }
        }
    }
    out
}

fn mention_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)([A-Za-z][A-Za-z0-9_-]*|[가-힣]+)\s*(?:nodes?|노드|node들|서버|호스트)")
            .expect("static regex")
    })
}

fn list_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)([A-Za-z][A-Za-z0-9_-]*)((?:\s*(?:,|/|와|과|및|and|&)\s*[A-Za-z][A-Za-z0-9_-]*)+)\s*(?:(?:모든\s*)?(?:nodes?|노드)|에서|모두|\))")
            .expect("static regex")
    })
}

fn all_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)(모든|전체|각)\s*(?:노드|node|서버|호스트|vm)|(?-u:\b)all\s*nodes?(?-u:\b)|\(all\)|^all$|모든\s*node|양쪽\s*노드")
            .expect("static regex")
    })
}

fn word_at_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)([A-Za-z][A-Za-z0-9_-]*|[가-힣]+?)(?:\s*(?:노드|node))?\s*에서")
            .expect("static regex")
    })
}

/// Group 1 of a [`mention_re`] match: the word before its node word (the word is greedy, so the
/// node word is the one the match ends with).
fn mention_word(m: &str) -> &str {
    let ends_ci = |s: &str, w: &str| {
        s.len() >= w.len()
            && s.is_char_boundary(s.len() - w.len())
            && s[s.len() - w.len()..].eq_ignore_ascii_case(w)
    };
    let cut = ["nodes", "node", "노드", "서버", "호스트"]
        .iter()
        .find(|w| ends_ci(m, w))
        .map_or(m.len(), |w| m.len() - w.len());
    m[..cut].trim_end()
}

/// Group 1 of a [`word_at_re`] match (`…에서`): an ASCII word is greedy (all of its letters); a
/// Hangul word is lazy, so a node word before `에서` is cut off when a Hangul word remains.
fn word_at_word(m: &str) -> &str {
    let body = m.strip_suffix("에서").unwrap_or(m).trim_end();
    if body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        let end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(body.len());
        return &body[..end];
    }
    let hangul = |s: &str| !s.is_empty() && s.chars().all(|c| ('가'..='힣').contains(&c));
    for w in ["노드", "node"] {
        let n = body.len().saturating_sub(w.len());
        if body.is_char_boundary(n) && body[n..].eq_ignore_ascii_case(w) {
            let word = body[..n].trim_end();
            if hangul(word) {
                return word;
            }
        }
    }
    body
}

/// Whether `text` contains the ASCII word `w`, ignoring ASCII case (found from its first letter,
/// both cases searched at once).
fn contains_ci(text: &str, w: &str) -> bool {
    let (hay, w) = (text.as_bytes(), w.as_bytes());
    let Some(&c) = w.first() else {
        return true;
    };
    let (lo, up) = (c.to_ascii_lowercase(), c.to_ascii_uppercase());
    memchr::memchr2_iter(lo, up, hay)
        .any(|at| hay.len() - at >= w.len() && hay[at..at + w.len()].eq_ignore_ascii_case(w))
}

/// A word the pretests look for, with its substring finder built once (the pretests run on every
/// paragraph: setting up a search each time cost more than the search).
struct Needle {
    word: &'static str,
    finder: OnceLock<memchr::memmem::Finder<'static>>,
}

impl Needle {
    const fn new(word: &'static str) -> Needle {
        Needle {
            word,
            finder: OnceLock::new(),
        }
    }

    fn in_text(&self, text: &str) -> bool {
        self.finder
            .get_or_init(|| memchr::memmem::Finder::new(self.word))
            .find(text.as_bytes())
            .is_some()
    }
}

static NODEU: Needle = Needle::new("노드");
static SEOBEO: Needle = Needle::new("서버");
static HOSTEU: Needle = Needle::new("호스트");
static ESEO: Needle = Needle::new("에서");
static MODU: Needle = Needle::new("모두");
static MODEUN: Needle = Needle::new("모든");
static JEONCHE: Needle = Needle::new("전체");
static YANGJJOK: Needle = Needle::new("양쪽");
static GAK: Needle = Needle::new("각");

/// The role words of [`KOREAN`], as needles.
fn korean_needles() -> &'static [Needle] {
    static N: OnceLock<Vec<Needle>> = OnceLock::new();
    N.get_or_init(|| KOREAN.iter().map(|(k, _)| Needle::new(k)).collect())
}

/// Lowercase, without the Unicode tables for ASCII text.
fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// Whether a text holds a word that [`canon_label`] could take for a node or for every node:
/// an ASCII letter, a Korean role word, a Korean word for "all", or a known node's name not in
/// ASCII. Without one, no pattern of [`mentions`] or [`where_run`] can name anything (each
/// needs an ASCII word or one of these words), so both skip their regexes.
fn may_name_node(text: &str, known: &[String]) -> bool {
    text.bytes().any(|b| b.is_ascii_alphabetic())
        || korean_needles().iter().any(|n| n.in_text(text))
        || [&MODEUN, &JEONCHE, &GAK, &MODU, &YANGJJOK]
            .iter()
            .any(|n| n.in_text(text))
        || known
            .iter()
            .any(|k| !k.is_ascii() && text.contains(k.as_str()))
}

/// Node names mentioned in a text (`Controller 노드`, `(Compute, Network Node)`, `master에서`),
/// canonical, in order; `All` when the text speaks of every node.
pub fn mentions(text: &str, known: &[String]) -> Vec<Canon> {
    // each pattern needs one of its words (each looked for once): texts without them skip its
    // regex, and texts without any skip them all
    let node_word = contains_ci(text, "node") || NODEU.in_text(text);
    let where_word = ESEO.in_text(text);
    let host_word = node_word || SEOBEO.in_text(text) || HOSTEU.in_text(text);
    let all_word = contains_ci(text, "all");
    let modu = MODU.in_text(text);
    let paren = text.contains(')');
    let any_word = host_word
        || where_word
        || modu
        || all_word
        || [&MODEUN, &JEONCHE, &YANGJJOK]
            .iter()
            .any(|n| n.in_text(text))
        || paren && text.contains(',');
    if !any_word || !may_name_node(text, known) {
        return Vec::new();
    }
    let mut out: Vec<(usize, Canon)> = Vec::new();
    let lower_guard = |w: &str| canon_label(w, known);
    if host_word || contains_ci(text, "vm") || all_word {
        for m in all_re().find_iter(text) {
            out.push((m.start(), Canon::All));
        }
    }
    let list_end = node_word || where_word || modu || paren;
    for c in list_re().captures_iter(if list_end { text } else { "" }) {
        let m = c.get(0).expect("group 0");
        let mut words = vec![c[1].to_string()];
        for w in c[2].split([',', '/', '&']) {
            for w2 in w.split(['와', '과', '및']) {
                let t = w2.trim().trim_start_matches("and ").trim();
                if !t.is_empty() {
                    words.push(t.to_string());
                }
            }
        }
        let canon: Vec<Canon> = words.iter().filter_map(|w| lower_guard(w)).collect();
        if canon.len() == words.len() {
            for (i, c) in canon.into_iter().enumerate() {
                out.push((m.start() + i, c));
            }
        }
    }
    // (the word is cut from each match by hand: the regexes' capture engine cost more than the
    // rest of the search; tests hold the cut to the regexes' own group 1)
    for m in mention_re().find_iter(if host_word { text } else { "" }) {
        if let Some(cn) = lower_guard(mention_word(m.as_str())) {
            out.push((m.start(), cn));
        }
    }
    for m in word_at_re().find_iter(if where_word { text } else { "" }) {
        if comes_from(&text[m.end()..]) {
            continue;
        }
        if let Some(cn) = lower_guard(word_at_word(m.as_str())) {
            out.push((m.start(), cn));
        }
    }
    out.sort_by_key(|(p, _)| *p);
    let mut res: Vec<Canon> = Vec::new();
    for (_, c) in out {
        if !res.contains(&c) {
            res.push(c);
        }
    }
    res
}

fn where_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)((?:[A-Za-z][A-Za-z0-9_-]*|[가-힣]+)(?:\s*(?:,|와|과|및|/)\s*(?:[A-Za-z][A-Za-z0-9_-]*|[가-힣]+))*)\s*(?:모든\s*)?(?:노드|nodes?|서버|호스트|vm)?\s*(?:들)?\s*에서")
            .expect("static regex")
    })
}

fn all_same_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)^(.{1,60}?)\s*모두\s*(?:동일하게|같이|공통으로|똑같이)?\s*(?:진행|실행|수행|적용)").expect("static regex")
    })
}

/// A heading whose node is the object of the work (`Worker 노드 조인 명령어 확인`, `compute 노드
/// 추가`, `Add worker nodes`): joining, adding or registering the node is done elsewhere.
pub fn names_object(text: &str) -> bool {
    let l = text.to_lowercase();
    let Some(m) = mention_re().find(&l) else {
        return false;
    };
    let after = l[m.end()..].trim_start();
    [
        "조인", "join", "추가", "등록", "연결", "토큰", "token", "add",
    ]
    .iter()
    .any(|w| after.starts_with(w))
        || l.starts_with("add ")
        || l.contains("노드를 추가")
        || l.contains("노드 추가")
}

/// Words after `…에서` that make it a source (`받은`, `가져온`, `복사한`, `생성된`, `출력된`).
fn comes_from(after: &str) -> bool {
    let a = after.trim_start();
    [
        "받은",
        "받아",
        "가져온",
        "가져와",
        "복사한",
        "복사해",
        "생성된",
        "생성한",
        "출력된",
        "출력한",
        "얻은",
        "발급",
        "나온",
        "확인한",
    ]
    .iter()
    .any(|w| a.starts_with(w))
}

/// Where a sentence says to run things: nodes named right before `에서` ("Controller 노드에서",
/// "Controller와 Compute 모든 노드에서", "master에서만"), or a list followed by "모두 ... 진행".
pub fn where_run(text: &str, known: &[String]) -> Vec<Canon> {
    if !ESEO.in_text(text) && !MODU.in_text(text) || !may_name_node(text, known) {
        return Vec::new();
    }
    let mut out: Vec<Canon> = Vec::new();
    for m in where_re().find_iter(text) {
        let whole = m.as_str();
        // `Master에서 받은 조인 명령어`: where something comes from, not where it runs
        if comes_from(&text[m.end()..]) {
            continue;
        }
        for m in mentions(whole, known) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
        if whole.contains("모든") && !out.contains(&Canon::All) {
            out.push(Canon::All);
        }
    }
    if let Some(c) = all_same_re().captures(text) {
        for w in c[1].split([',', ' ']) {
            let w = w.trim().trim_matches(['*', '`', '(', ')', '[', ']']);
            if w.is_empty() {
                continue;
            }
            if let Some(m) = canon_label(w, known) {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        // "master, node1, node2 모두": several machines named together means every node
        let named = c[1]
            .split([',', ' '])
            .filter(|w| {
                w.trim()
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_alphabetic())
            })
            .count();
        if out.is_empty() || named >= 2 {
            out.clear();
            out.push(Canon::All);
        }
    }
    out
}

/// The one node a sentence is about (`마스터 노드의 Java Heap 메모리는…`, `마스터 노드는…`,
/// `각 데이터 노드들은…`): a node word followed by a topic or possessive particle, when the
/// sentence names no other node.
pub fn topic(text: &str, known: &[String]) -> Option<Canon> {
    const PARTICLES: &[&str] = &[
        "의",
        "는",
        "은",
        "들은",
        "들의",
        "에는",
        "에도",
        "들에는",
        "들도",
    ];
    if !NODEU.in_text(text) && !contains_ci(text, "node") {
        return None;
    }
    let mut found: Vec<Canon> = Vec::new();
    for m in mention_re().find_iter(text) {
        let Some(c) = canon_label(mention_word(m.as_str()), known) else {
            continue;
        };
        let after = &text[m.end()..];
        if !found.contains(&c) {
            found.push(c.clone());
        }
        if PARTICLES.iter().any(|p| after.starts_with(p)) && found.len() == 1 {
            continue;
        }
    }
    let topical = mention_re().find_iter(text).any(|m| {
        let after = &text[m.end()..];
        PARTICLES.iter().any(|p| after.starts_with(p))
    });
    match found.as_slice() {
        [one @ Canon::Node(_)] if topical => Some(one.clone()),
        _ => None,
    }
}

/// Does a prose line state where the following commands run?
/// (`**Controller 노드에서 진행**`, `Controller와 Compute 모든 노드에서 진행`, `master에서만 실행`)
pub fn is_scope_line(text: &str, strong: bool) -> bool {
    let t = text.trim();
    short_scope_line(t, strong) && !where_run(t, &[]).is_empty()
}

/// The shape of a scope line, given that it names where to run (`where_run` found nodes).
pub fn short_scope_line(text: &str, strong: bool) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(r"(진행|실행|수행|작업|설치|적용|입력|해당)").expect("static regex")
    });
    let t = text.trim();
    let n = t.chars().count();
    strong && n <= 80 || n <= 50 && r.is_match(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k() -> Vec<String> {
        vec!["controller".into(), "compute".into()]
    }

    fn n(s: &str) -> Canon {
        Canon::Node(s.into())
    }

    #[test]
    fn roles_and_misspellings() {
        assert_eq!(role("Contorller"), Some("controller"));
        assert_eq!(role("compute1"), Some("compute"));
        assert_eq!(role("컨트롤러"), Some("controller"));
        assert_eq!(role("node"), None);
        assert_eq!(canon_label("nasa-master", &[]), Some(n("master")));
        assert_eq!(canon_label("All", &[]), Some(Canon::All));
    }

    #[test]
    fn mentions_in_text() {
        assert_eq!(mentions("### Controller Node", &k()), vec![n("controller")]);
        assert_eq!(
            mentions("### 다른 노드들(Compute Node)", &k()),
            vec![n("compute")]
        );
        assert_eq!(
            mentions("1-1. (모든 노드 해당) - 호스트", &k()),
            vec![Canon::All]
        );
        assert_eq!(
            mentions("설치 및 구성(Compute Node)", &k()),
            vec![n("compute")]
        );
        assert_eq!(
            mentions("**Controller 노드에서 진행**", &k()),
            vec![n("controller")]
        );
        assert_eq!(
            mentions("Controller와 Compute 모든 노드에서 진행", &k()),
            vec![n("controller"), n("compute"), Canon::All]
        );
        assert_eq!(mentions("master에서만 실행", &k()), vec![n("master")]);
        assert_eq!(
            mentions("2-2. (Compute, Network Node) - NTP", &k()),
            vec![n("compute"), n("network")]
        );
        assert_eq!(
            mentions("컨트롤러 노드는 최소한 두 개의", &k()),
            vec![n("controller")]
        );
        assert!(mentions("각 노드마다 최소 하나", &k()).contains(&Canon::All));
        assert!(is_scope_line("Controller 노드에서 진행", true));
        assert!(is_scope_line("master에서만 실행", false));
        assert!(is_scope_line(
            "사전 작업은 master, node1, node2 모두 동일하게 진행합니다.",
            true
        ));
        // where something comes from is not where it runs
        assert_eq!(where_run("Master에서 받은 조인 명령어 실행", &k()), vec![]);
        assert_eq!(where_run("controller 노드에서 복사한 파일", &k()), vec![]);
        assert_eq!(
            where_run("controller 노드에서 실행", &k()),
            vec![n("controller")]
        );
        // the node a sentence before a block is about
        let es = vec!["master".to_string(), "data".to_string()];
        assert_eq!(
            topic(
                "먼저 마스터 노드의 Java Heap 메모리는 4gb로 조정합니다.",
                &es
            ),
            Some(n("master"))
        );
        assert_eq!(
            topic(
                "각 데이터 노드들은 반대로 `node.master: false` 를 추가합니다.",
                &es
            ),
            Some(n("data"))
        );
        assert_eq!(
            topic("마스터 노드와 데이터 노드의 설정을 비교합니다.", &es),
            None
        );
        assert_eq!(topic("노드 바인딩이 되지 않습니다.", &es), None);
        // a bold line in parentheses naming the roles
        assert!(where_run("(마스터, 워커 양쪽 노드 모두 실행)", &[])
            .starts_with(&[n("master"), n("worker")]));
        assert!(!is_scope_line(
            "컨트롤러 노드는 최소한 두 개의 네트워크 인터페이스 카드를 필요로 합니다.",
            false
        ));
        assert!(!is_scope_line(
            "`['*']`로 두면 모든 호스트를 허용하지만 운영 환경에서는 안전하지 않습니다.",
            false
        ));
        assert_eq!(
            where_run("Controller와 Compute 모든 노드에서 진행", &k()),
            vec![n("controller"), n("compute"), Canon::All]
        );
        assert_eq!(
            where_run("메모리가 4GB 미만인 Compute 노드에서는 64MB만", &k()),
            vec![n("compute")]
        );
    }

    #[test]
    fn words_cut_from_matches_are_the_regexes_group_one() {
        let mut texts: Vec<String> = [
            "Controller 노드에서 진행",
            "controller node에서",
            "computenodes 와 compute nodes 설정",
            "서버노드 호스트서버 노드노드에서 노드에서 노드서버",
            "컨트롤러노드에서 컨트롤러 node에서 컨트롤러  NODE  에서",
            "master에서만 실행, k8s-worker-1 노드에서, abc-node에서, x_1 서버",
            "환경에서 설치 과정에서 이 안내서에서는 서버에서에서",
            "Network Node 와 Compute Nodes 그리고 storage node들",
            "각 노드마다 최소 하나, 모든 호스트에서, 스토리지 호스트",
            "abc가에서 1abc에서 _abc에서 a-b에서 ab12에서",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        // the bundled guide, and the real guides of other authors (read in place when present)
        let folders = [root.join("guide"), root.join("../shared/corpus")];
        for e in folders
            .iter()
            .filter(|f| f.is_dir())
            .flat_map(|f| walkdir::WalkDir::new(f).sort_by_file_name())
        {
            let e = e.expect("guide folder");
            if e.path().extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(e.path()).expect("chapter");
                texts.extend(text.lines().map(str::to_string));
            }
        }
        let (mut mentions_seen, mut words_seen) = (0, 0);
        for t in &texts {
            for c in mention_re().captures_iter(t) {
                let (m, g) = (c.get(0).expect("match"), c.get(1).expect("group"));
                assert_eq!(mention_word(m.as_str()), g.as_str(), "{t:?}");
                mentions_seen += 1;
            }
            for c in word_at_re().captures_iter(t) {
                let (m, g) = (c.get(0).expect("match"), c.get(1).expect("group"));
                assert_eq!(word_at_word(m.as_str()), g.as_str(), "{t:?}");
                words_seen += 1;
            }
        }
        assert!(
            mentions_seen > 50 && words_seen > 50,
            "{mentions_seen} {words_seen}"
        );
    }

    #[test]
    fn prompt_labels() {
        assert_eq!(
            canon_prompt("Network, Compute", &k()),
            vec![n("network"), n("compute")]
        );
        assert_eq!(canon_prompt("Registry", &k()), vec![n("registry")]);
        assert_eq!(canon_prompt("Deploy / chroot", &k()), vec![n("deploy")]);
        assert_eq!(canon_prompt("myhost", &k()), vec![n("myhost")]);
    }
}
