//! Files named outside the block, the ways authors name them: a label line right before the
//! block (`redis-master.conf:`, `kafka-0 config/server.properties`), a heading that is a file's
//! name (`### core-site.xml`), a path given as a key (`파일 경로 : $HADOOP_HOME/etc/x.xml`).

/// Extensions of the files guides write whole or edit.
const FILE_EXTENSIONS: &[&str] = &[
    "conf",
    "cnf",
    "cfg",
    "ini",
    "properties",
    "xml",
    "yml",
    "yaml",
    "json",
    "toml",
    "sh",
    "env",
    "repo",
    "service",
    "rules",
    "list",
    "txt",
    "py",
    "j2",
    "tmpl",
    "template",
    "sql",
    "pem",
    "key",
    "crt",
    "options",
    "opts",
];

/// A token that names a file: a path (with `/`, maybe starting with `$VAR` or `~`), or a bare
/// name with a known extension (`redis-master.conf`); not a URL.
pub fn file_token(w: &str) -> Option<String> {
    // `/etc/hosts에`, `server.properties를`: the name before its particle
    let w = match w.find(|c: char| ('가'..='힣').contains(&c)) {
        Some(i) => &w[..i],
        None => w,
    };
    let w = w
        .trim_matches(|c: char| matches!(c, '`' | '"' | '\'' | ',' | '(' | ')' | '*'))
        .trim_end_matches([':', '：', '.']);
    if w.is_empty() || w.contains("://") || w.contains(char::is_whitespace) {
        return None;
    }
    let name = w.rsplit('/').next().unwrap_or(w);
    let ext_ok = name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    });
    let pathish = w.contains('/')
        && !w.ends_with('/')
        && (w.starts_with('/') || w.starts_with('$') || w.starts_with('~') || w.starts_with("./"))
        && name.chars().any(|c| c.is_ascii_alphanumeric());
    let relative_path = w.contains('/') && !w.starts_with('/') && ext_ok;
    (ext_ok || pathish || relative_path)
        .then(|| w.to_string())
        .filter(|t| t.chars().all(|c| !c.is_control()))
}

/// Words of creating a file (`파일생성`, `생성`, `작성`, `create`).
fn creates(text: &str) -> bool {
    ["생성", "작성", "새로", "create"]
        .iter()
        .any(|w| text.contains(w))
}

/// A label line right before a block that names the block's file, and whether it says to
/// create it: one short line, ending with `:` or saying what to do with the file, or opening
/// with the instance it is for.
pub fn label_file(text: &str, instance_first: bool) -> Option<(String, bool)> {
    let t = text.trim();
    if t.contains('\n') || t.chars().count() > 80 {
        return None;
    }
    let ends_colon = t.ends_with(':') || t.ends_with('：');
    let says = [
        "파일", "생성", "작성", "수정", "편집", "추가", "설정", "내용",
    ]
    .iter()
    .any(|w| t.contains(w));
    if !(ends_colon || says || instance_first) {
        return None;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    // a label is a few words: a sentence that mentions a file is not one
    if words.len() > 6 {
        return None;
    }
    let token = words.iter().find_map(|w| file_token(w))?;
    Some((token, creates(t)))
}

/// A heading that is a file's name (`core-site.xml`, `🔹 hadoop-env.sh`, `/etc/hosts 설정`
/// is not one: it says what is done).
pub fn heading_file(text: &str) -> Option<String> {
    let t = text.trim().trim_start_matches(|c: char| {
        !c.is_ascii_alphanumeric() && !matches!(c, '/' | '$' | '~' | '.')
    });
    let mut words = t.split_whitespace();
    let first = words.next()?;
    if words.next().is_some() {
        return None;
    }
    let token = file_token(first)?;
    // a bare name needs its extension: `workers` alone is a word, not a file
    token.contains('.').then_some(token)
}

/// `파일 경로 : /etc/hosts에 …`, `경로: $HADOOP_HOME/etc/hadoop/core-site.xml`: a key naming the
/// path, and the path.
pub fn path_key(text: &str) -> Option<String> {
    text.lines().find_map(path_key_line)
}

fn path_key_line(text: &str) -> Option<String> {
    let (key, value) = text.split_once(':').or_else(|| text.split_once('：'))?;
    let k = key.trim().to_lowercase();
    let is_key = [
        "파일 경로",
        "파일경로",
        "경로",
        "파일 위치",
        "위치",
        "파일",
        "path",
        "file",
        "location",
    ]
    .iter()
    .any(|w| k == *w || k.ends_with(&format!(" {w}")));
    if !is_key || key.chars().count() > 16 {
        return None;
    }
    let first = value.split_whitespace().next()?;
    // `/etc/hosts에` → the path before the particle
    let end = first
        .find(|c: char| ('가'..='힣').contains(&c))
        .unwrap_or(first.len());
    file_token(&first[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_lines_name_files() {
        assert_eq!(
            label_file("redis-master.conf:", false),
            Some(("redis-master.conf".into(), false))
        );
        assert_eq!(
            label_file("zookeeper-1 /tmp/zookeeper/myid 파일생성 :", true),
            Some(("/tmp/zookeeper/myid".into(), true))
        );
        assert_eq!(
            label_file("kafka-0 config/server.properties", true),
            Some(("config/server.properties".into(), false))
        );
        assert_eq!(
            label_file("sentinel.conf 설정", false),
            Some(("sentinel.conf".into(), false))
        );
        // not labels: a URL, a long sentence, no file
        assert_eq!(label_file("https://example.com/a.conf:", false), None);
        assert_eq!(
            label_file("이 단계에서는 설정을 마친 뒤 redis.conf 파일을 다른 서버에도 복사해 두어야 합니다:", false),
            None
        );
        assert_eq!(label_file("실행:", false), None);
        assert_eq!(file_token("/etc/hosts에").as_deref(), Some("/etc/hosts"));
    }

    #[test]
    fn headings_that_are_file_names() {
        assert_eq!(
            heading_file("🔹 core-site.xml").as_deref(),
            Some("core-site.xml")
        );
        assert_eq!(
            heading_file("hadoop-env.sh").as_deref(),
            Some("hadoop-env.sh")
        );
        assert_eq!(heading_file("🔹 workers"), None);
        assert_eq!(heading_file("/etc/hosts 설정"), None);
    }

    #[test]
    fn paths_given_as_keys() {
        assert_eq!(
            path_key("파일 경로 : $HADOOP_HOME/etc/hadoop/core-site.xml").as_deref(),
            Some("$HADOOP_HOME/etc/hadoop/core-site.xml")
        );
        assert_eq!(
            path_key("파일 경로 : /etc/hosts에 아래와 같이 추가").as_deref(),
            Some("/etc/hosts")
        );
        assert_eq!(path_key("실행 호스트 : Master"), None);
        // a line of a longer paragraph
        assert_eq!(
            path_key("second, slave node 도메인 입력\n경로 : $HADOOP_HOME/etc/hadoop/slaves\n<아래 내용 파일에 입력>").as_deref(),
            Some("$HADOOP_HOME/etc/hadoop/slaves")
        );
    }
}
