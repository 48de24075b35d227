//! File edits: the path a passage names, and what a block of content does to that file
//! (whole `file`, `ini` settings, or `lines`).

use regex::Regex;
use runbook_core::model::Setting;
use std::sync::OnceLock;

/// What the words around a path ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// "생성", "새로 작성", "create": the block is the whole file.
    Create,
    /// "수정", "편집", "추가", "설정": change part of the file.
    Edit,
}

fn path_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?:^|[\s`'(\[:])((?:~|\$HOME)?/(?:[A-Za-z0-9_.@+<>{}$-]+/)+[A-Za-z0-9_.@+<>{}$-]*[A-Za-z0-9_>}-])")
            .expect("static regex")
    })
}

/// Absolute file paths in a text, in order (`/etc/chrony.conf`, `/etc/sysconfig/network-scripts/ifcfg-<INTERFACE_NAME>`).
pub fn paths_in(text: &str) -> Vec<String> {
    if !text.contains('/') {
        return Vec::new();
    }
    path_re()
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .filter(|p| looks_like_file(p))
        .collect()
}

/// A path that names a file (not a URL part, not a bare directory such as `/usr/bin`).
pub fn looks_like_file(p: &str) -> bool {
    if p.starts_with("//") || p.contains("//") {
        return false;
    }
    let last = p.rsplit('/').next().unwrap_or("");
    if last.is_empty() {
        return false;
    }
    let dir_like = [
        "/usr/bin",
        "/usr/sbin",
        "/bin",
        "/sbin",
        "/dev/null",
        "/bin/sh",
        "/bin/bash",
    ];
    if dir_like.contains(&p) {
        return false;
    }
    // /dev/sdb, /proc/cpuinfo are read, never edited
    !(p.starts_with("/dev/") || p.starts_with("/proc/") || p.starts_with("/sys/"))
}

fn create_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)(생성|새로\s*(?:작성|만들)|만들[고어]|만든다|만듭니다|작성\s*(?:후|하고|한다|합니다)?\s*$|(?-u:\b)create(?-u:\b)|(?-u:\b)new file(?-u:\b))").expect("static regex"))
}

fn edit_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)(수정|편집|추가|변경|설정|내용|입력|주석|바꾸|(?-u:\b)edit(?-u:\b)|(?-u:\b)add(?-u:\b)|(?-u:\b)modify(?-u:\b)|(?-u:\b)append(?-u:\b)|(?-u:\b)set(?-u:\b)|(?-u:\b)change(?-u:\b))").expect("static regex")
    })
}

/// The intent a prose line states for the path it names, if it names one.
pub fn intent_of(text: &str) -> Option<Intent> {
    // a folder is made, not written
    if ["디렉터리", "디렉토리", "폴더", "directory", "folder"]
        .iter()
        .any(|w| text.contains(w))
    {
        return None;
    }
    if create_re().is_match(text) {
        Some(Intent::Create)
    } else if edit_re().is_match(text) {
        Some(Intent::Edit)
    } else {
        None
    }
}

fn section_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*\[([A-Za-z0-9_.:/ -]+)\]\s*$").expect("static regex"))
}

fn kv_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^\s*([A-Za-z0-9_.@/-]+(?:\s[A-Za-z0-9_.-]+)?)\s*=\s?(.*)$")
            .expect("static regex")
    })
}

/// Is this line an ellipsis standing for the rest of the file (`...`, `# ...`, `…`)?
pub fn is_ellipsis(line: &str) -> bool {
    let t = line.trim().trim_start_matches(['#', ';', '/']).trim();
    !t.is_empty()
        && (t.chars().all(|c| c == '.') && t.len() >= 3 || t == "…" || t == "(생략)" || t == "생략")
}

/// Strip a trailing explanation (`value // 설명`, `value # 설명`) but never the `//` of a URL.
pub fn strip_trailing_comment(value: &str) -> String {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"\s+(?://|#|;)\s*.*$").expect("static regex"));
    if let Some(m) = r.find(value) {
        let comment = &value[m.start()..];
        let has_hangul = comment.chars().any(is_hangul);
        let slashes = comment.trim_start().starts_with("//");
        if has_hangul || slashes {
            return value[..m.start()].trim_end().to_string();
        }
    }
    value.trim_end().to_string()
}

pub fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c)
}

/// Does the content have `[section]` headers followed by settings?
pub fn looks_ini(content: &str) -> bool {
    let mut header = false;
    for l in content.lines() {
        if section_re().is_match(l) {
            header = true;
        } else if header && kv_re().is_match(l) && !l.trim_start().starts_with('#') {
            return true;
        }
    }
    false
}

/// Settings of an ini snippet; keys before any header are in `DEFAULT`.
pub fn ini_settings(content: &str) -> Vec<Setting> {
    let mut out: Vec<Setting> = Vec::new();
    let mut section = "DEFAULT".to_string();
    for l in content.lines() {
        let t = l.trim();
        if t.is_empty()
            || is_ellipsis(t)
            || t.starts_with('#')
            || t.starts_with(';')
            || t.starts_with("//")
        {
            continue;
        }
        if let Some(c) = section_re().captures(t) {
            section = c[1].trim().to_string();
            continue;
        }
        if let Some(c) = kv_re().captures(t) {
            let key = c[1].trim().to_string();
            let value = strip_trailing_comment(c[2].trim());
            // a key set twice in one snippet stays one setting: the last value wins
            if let Some(s) = out
                .iter_mut()
                .find(|s| s.section == section && s.key == key)
            {
                s.value = value;
            } else {
                out.push(Setting {
                    section: section.clone(),
                    key,
                    value,
                });
            }
        }
    }
    out
}

/// Lines of a snippet to have in a file, and lines it shows commented out (to comment out).
pub fn lines_of(content: &str) -> (Vec<String>, Vec<String>) {
    let mut keep = Vec::new();
    let mut comment = Vec::new();
    for l in logical_lines(content) {
        let l = l.as_str();
        let t = l.trim_end();
        let tt = t.trim();
        if tt.is_empty() || is_ellipsis(tt) {
            continue;
        }
        if tt.starts_with("//") {
            continue;
        }
        if let Some(rest) = tt.strip_prefix('#') {
            let rest = rest.trim();
            if looks_like_config_line(rest) {
                comment.push(rest.to_string());
            }
            continue;
        }
        let v = strip_trailing_comment(t.trim_start());
        if !v.trim().is_empty() && !keep.contains(&v) {
            keep.push(v);
        }
    }
    (keep, comment)
}

/// Join a multi-line assignment (`CACHES = {` … `}`) into one entry; `...` inside is dropped.
fn logical_lines(content: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<(String, i32)> = None;
    for l in content.lines() {
        if let Some((mut acc, depth)) = cur.take() {
            if is_ellipsis(l) {
                cur = Some((acc, depth));
                continue;
            }
            acc.push('\n');
            acc.push_str(l.trim_end());
            let d = depth + bracket_balance(l);
            if d <= 0 {
                out.push(acc);
            } else {
                cur = Some((acc, d));
            }
            continue;
        }
        let d = bracket_balance(l);
        if d > 0 && l.contains('=') && !l.trim_start().starts_with('#') {
            cur = Some((l.trim_end().to_string(), d));
        } else {
            out.push(l.to_string());
        }
    }
    if let Some((acc, _)) = cur {
        out.push(acc);
    }
    out
}

fn bracket_balance(l: &str) -> i32 {
    let mut d = 0;
    let mut quote: Option<char> = None;
    for c in l.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '{' | '[' | '(' => d += 1,
                '}' | ']' | ')' => d -= 1,
                '#' => break,
                _ => {}
            },
        }
    }
    d
}

/// `#pool 2.centos.pool.ntp.org iburst` shows a setting commented out, `# 설명` does not.
fn looks_like_config_line(s: &str) -> bool {
    if s.is_empty() || s.chars().any(is_hangul) || s.starts_with('#') {
        return false;
    }
    if s.ends_with('.') || s.ends_with(':') || s.ends_with(',') || s.contains(" - ") {
        return false;
    }
    let first = s.split_whitespace().next().unwrap_or("");
    let words = s.split_whitespace().count();
    let starts_lower = first.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let assignment = first.contains('=')
        && first.split('=').next().is_some_and(|k| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    (starts_lower && (2..=8).contains(&words)) || assignment
}

/// Structured formats cannot be merged line by line: the block is the whole file.
pub fn is_structured(path: &str, info: &str) -> bool {
    let p = path.to_ascii_lowercase();
    let i = info.to_ascii_lowercase();
    [
        ".yaml", ".yml", ".json", ".xml", ".toml", ".j2", ".py", ".sh", ".service",
    ]
    .iter()
    .any(|e| p.ends_with(e))
        || ["yaml", "yml", "json", "xml", "toml", "python", "systemd"].contains(&i.as_str())
        || p.contains("/netplan/")
        || p == "/etc/network/interfaces"
        || p == "/etc/hostname"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_paths() {
        assert_eq!(
            paths_in("`/etc/chrony.conf` 수정"),
            vec!["/etc/chrony.conf"]
        );
        assert_eq!(
            paths_in("`/etc/sysconfig/network-scripts/ifcfg-<INTERFACE_NAME>` 파일 편집"),
            vec!["/etc/sysconfig/network-scripts/ifcfg-<INTERFACE_NAME>"]
        );
        assert_eq!(
            paths_in("/etc/memcached.conf에 [파일 5]의 내용을 추가한다."),
            vec!["/etc/memcached.conf"]
        );
        assert!(paths_in("http://controller:5000/v3").is_empty());
        assert!(paths_in("see /usr/bin").is_empty());
    }

    #[test]
    fn intents() {
        assert_eq!(
            intent_of("`/etc/my.cnf.d/openstack.cnf` 파일 생성 및 편집"),
            Some(Intent::Create)
        );
        assert_eq!(intent_of("`/etc/chrony.conf` 수정"), Some(Intent::Edit));
        assert_eq!(
            intent_of("/etc/hosts 에 다음 내용 추가"),
            Some(Intent::Edit)
        );
    }

    #[test]
    fn ini_and_comments() {
        let s = ini_settings("[database]\n# ...\nconnection = mysql+pymysql://k:K_DBPASS@controller/k\n\n[token]\n...\nprovider = fernet // 토큰 방식\nprovider = fernet\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].section, "database");
        assert_eq!(s[0].value, "mysql+pymysql://k:K_DBPASS@controller/k");
        assert_eq!(s[1].value, "fernet");
        assert!(looks_ini("[DEFAULT]\n...\nmy_ip = 10.0.0.11\n"));
        assert!(!looks_ini("TYPE=Ethernet\nONBOOT=yes\n"));
        assert_eq!(
            strip_trailing_comment("transport_url = rabbit://openstack:P@controller"),
            "transport_url = rabbit://openstack:P@controller"
        );
        assert_eq!(
            strip_trailing_comment("allow 10.0.0.0/24 # 허용 대역"),
            "allow 10.0.0.0/24"
        );
    }

    #[test]
    fn lines_and_commented() {
        let (k, c) = lines_of("### 기존 값 주석 처리\n#pool ntp.ubuntu.com iburst maxsources 4\n\n### 새로 추가\nserver controller iburst\n# controller\n10.0.0.11\tcontroller\n");
        assert_eq!(k, vec!["server controller iburst", "10.0.0.11\tcontroller"]);
        assert_eq!(c, vec!["pool ntp.ubuntu.com iburst maxsources 4"]);
        assert!(is_ellipsis("# ..."));
        let (k, _) =
            lines_of("A = 1\nCACHES = {\n    'default': {\n        'X': 'y',\n    }\n}\nB = 2\n");
        assert_eq!(
            k,
            vec![
                "A = 1",
                "CACHES = {\n    'default': {\n        'X': 'y',\n    }\n}",
                "B = 2"
            ]
        );
        assert!(is_ellipsis("..."));
    }
}
