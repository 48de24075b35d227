//! The guide doctor on whole guides: every planted mistake of `tests/fixtures/doctor/bad` is
//! found with its code and both places; the corrected passages of `tests/fixtures/doctor/good`,
//! the bundled guide and the shapes of the false alarms once met in the corpus
//! (`tests/fixtures/doctor/quiet`) give no finding; the corpus gives exactly the reviewed
//! findings; `runbook check --format json` follows `docs/check.schema.json` and `--format
//! github` writes workflow annotations.

use runbook::Compiled;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures/doctor").join(rel)
}

fn compile(path: &Path) -> Compiled {
    match runbook::compile(path) {
        Ok(c) => c,
        Err(e) => panic!("{} does not compile: {e:#}", path.display()),
    }
}

/// Each finding as `CODE file:line -> file:line, …`, sorted by place.
fn findings(c: &Compiled) -> Vec<String> {
    c.diagnostics
        .sorted()
        .iter()
        .filter_map(|d| {
            let code = d.code?;
            let related: Vec<String> = d.related.iter().map(|r| r.to_string()).collect();
            Some(format!("{code} {} -> {}", d.source, related.join(", ")))
        })
        .collect()
}

/// bash parses the steps for RB008; without it that check says nothing.
fn have_bash() -> bool {
    let ok = Command::new("bash").arg("-c").arg("true").status().is_ok();
    if !ok && std::env::var_os("CI").is_some() {
        panic!("bash is needed for the shell-syntax check");
    }
    ok
}

#[test]
fn planted_mistakes_are_found_with_both_places() {
    let c = compile(&fixture("bad"));
    let mut expected = vec![
        "RB009 01-환경.md:36 -> 01-환경.md:30",
        "RB003 01-환경.md:63 -> 01-환경.md:43",
        "RB007 02-컴퓨트-준비.md:8 -> 03-컨트롤러.md:25",
        "RB004 02-컴퓨트-준비.md:16 -> 02-컴퓨트-준비.md:20",
        "RB008 02-컴퓨트-준비.md:25 -> ",
        "RB005 03-컨트롤러.md:30 -> 03-컨트롤러.md:35",
        "RB006 03-컨트롤러.md:43 -> 01-환경.md:21",
        "RB002 03-컨트롤러.md:62 -> 03-컨트롤러.md:52",
        "RB001 03-컨트롤러.md:81 -> 03-컨트롤러.md:73",
    ];
    if !have_bash() {
        expected.retain(|f| !f.starts_with("RB008"));
    }
    assert_eq!(findings(&c), expected);
    // every code once, each finding naming the steps at its places
    for d in c.diagnostics.findings() {
        let at = c
            .plan
            .step_at(&d.source)
            .expect("a finding is about a step");
        assert_eq!(d.steps[0], at.id, "{d}");
        assert_eq!(d.steps.len(), 1 + d.related.len(), "{d}");
        for (r, id) in d.related.iter().zip(&d.steps[1..]) {
            assert_eq!(c.plan.step_at(r).map(|s| s.id.as_str()), Some(id.as_str()));
        }
        let check = runbook::doctor::check_of(d.code.unwrap_or("")).expect("a known code");
        assert_eq!(d.severity, check.severity, "{d}");
    }
    // the compiler's own diagnostics are not findings, and print as before
    let text = c.diagnostics.sorted()[0].to_string();
    assert!(text.starts_with("01-환경.md:36: note[RB009]: "), "{text}");
    assert!(text.ends_with(" (see 01-환경.md:30)"), "{text}");
}

#[test]
fn corrected_passages_give_no_finding() {
    let c = compile(&fixture("good"));
    assert!(findings(&c).is_empty(), "{:#?}", findings(&c));
    assert_eq!(c.plan.steps.len(), 25);
}

#[test]
fn the_bundled_guide_gives_no_finding() {
    let c = compile(&root().join("guide"));
    assert!(findings(&c).is_empty(), "{:#?}", findings(&c));
}

/// Each shape of false alarm the corpus showed, written small, with what would have been said.
const QUIET: &[(&str, &str)] = &[
    (
        "placeholder-token.md",
        "RB008: `<토큰값>` is a placeholder the reader fills in",
    ),
    (
        "prose-command.md",
        "RB008: a Korean comment read as a command by extraction",
    ),
    (
        "answer-file.md",
        "RB005: `--gen-answer-file F` writes F before `cp F`",
    ),
    (
        "address-settings.md",
        "RB006: `my_ip = 10.0.0.31` is a setting, not a host table",
    ),
    (
        "package-file-backup.md",
        "RB005: the package brought the file `mv` backs up",
    ),
    (
        "earlier-part.md",
        "RB003/RB004: nova came with an earlier part of the series",
    ),
    (
        "copied-tree.md",
        "RB005: the step copying a folder is not its creator",
    ),
    (
        "password-prompt.md",
        "RB002: the password is typed at `--password-prompt`",
    ),
    (
        "nameservice.md",
        "RB006: `hdfs://mycluster` names a nameservice",
    ),
    (
        "module-stream.md",
        "RB006: `postgresql:12` is a module stream",
    ),
    (
        "deploy-tool.md",
        "RB003: a deployment tool installed docker on every node",
    ),
];

#[test]
fn false_alarm_shapes_stay_quiet() {
    let mut loud = Vec::new();
    for (file, why) in QUIET {
        let c = compile(&fixture(&format!("quiet/{file}")));
        assert!(c.plan.steps.len() >= 2, "{file}: the shape is gone");
        for f in findings(&c) {
            loud.push(format!("{file} ({why}): {f}"));
        }
    }
    assert!(loud.is_empty(), "{loud:#?}");
}

/// The corpus's findings, each read against the guide's text: all are the authors' mistakes.
const CORPUS: &[&str] = &[
    // `%\(tenant_id\)s` in a blockquote renders as `%(tenant_id)s`: the command as published
    // is not valid shell
    "RB008 ssup2-openstack-newton-2017a.md:500 -> ",
    // the verification sources /root/admin-openrc on the compute node, where no step wrote it
    "RB005 ssup2-openstack-newton-2017a.md:837 -> ssup2-openstack-newton-2017a.md:165",
    "RB005 ssup2-openstack-newton-ubuntu16.md:1017 -> ssup2-openstack-newton-ubuntu16.md:203",
];

#[test]
fn the_corpus_gives_the_reviewed_findings() {
    let dir = root().join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "no corpus at {}",
            dir.display()
        );
        eprintln!("skipped: no corpus at {}", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("README.md"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 22);
    let mut got = Vec::new();
    for f in &files {
        got.extend(findings(&compile(f)));
    }
    let mut expected: Vec<&str> = CORPUS.to_vec();
    if !have_bash() {
        expected.retain(|f| !f.starts_with("RB008"));
    }
    assert_eq!(
        got, expected,
        "review new findings against the guides' text"
    );
}

// ------------------------------------------------------------------ output formats

fn check_output(guide: &Path, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["check", "--format", format, "--guide"])
        .arg(guide)
        .output()
        .expect("runbook runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn json_output_follows_the_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/check.schema.json")).expect("schema"),
    )
    .expect("the schema is JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    // findings, and a guide whose diagnostics are the compiler's own (a missing image)
    let other = root().join("tests/fixtures/doctor/quiet/placeholder-token.md");
    let mut lines = 0;
    for guide in [
        fixture("bad"),
        root().join("tests/fixtures/hostile/guide"),
        other,
    ] {
        if !guide.exists() {
            continue;
        }
        for line in check_output(&guide, "json").lines() {
            let v: Value = serde_json::from_str(line).expect("one JSON object per line");
            let errors = schema::validate(&schema, &schema, &v, "");
            assert!(errors.is_empty(), "{line}\n{errors:#?}");
            lines += 1;
        }
    }
    assert!(lines >= 9);
    // a line the schema must refuse: the validator is no rubber stamp
    let bad: Value = serde_json::json!({"file": "a.md", "line": 0, "end_line": 1,
        "severity": "fatal", "code": "X1", "message": "", "related": [{"file": "a.md"}],
        "steps": ["A B"], "extra": true});
    assert_eq!(schema::validate(&schema, &schema, &bad, "").len(), 7);
}

#[test]
fn github_annotations_name_both_places() {
    let out = check_output(&fixture("bad"), "github");
    let g = fixture("bad").to_string_lossy().replace('\\', "/");
    let want = format!(
        "::warning file={g}/01-환경.md,line=63,endLine=64,title=RB003 service-not-installed::service chronyd is enabled on compute, but no step before installs it there (chrony is installed on controller at 01-환경.md:43) (see {g}/01-환경.md:43)"
    );
    assert!(out.lines().any(|l| l == want), "{out}");
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("::notice ")), "{out}");
}

/// A validator for the part of JSON Schema (draft 2020-12) that `docs/check.schema.json` uses:
/// `type` (one or several), `required`, `properties`, `additionalProperties: false`, `items`,
/// `enum`, `pattern`, `minimum`, `minLength` and local `$ref`s.
mod schema {
    use serde_json::Value;

    fn type_ok(t: &str, v: &Value) -> bool {
        match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        }
    }

    /// The errors of `v` against `s` (a schema or sub-schema of `root`), at `path`.
    pub fn validate(root: &Value, s: &Value, v: &Value, path: &str) -> Vec<String> {
        let mut errors = Vec::new();
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let target = r
                .strip_prefix("#/")
                .map(|p| p.split('/').fold(root, |node, k| &node[k]))
                .unwrap_or(&Value::Null);
            return validate(root, target, v, path);
        }
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.is_empty() && !types.iter().any(|t| type_ok(t, v)) {
            errors.push(format!("{path}: not {types:?}"));
            return errors;
        }
        if let Some(e) = s.get("enum").and_then(Value::as_array) {
            if !e.contains(v) {
                errors.push(format!("{path}: not one of {e:?}"));
            }
        }
        if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), v.as_str()) {
            if !regex::Regex::new(p).expect("pattern").is_match(text) {
                errors.push(format!("{path}: does not match {p}"));
            }
        }
        if let (Some(m), Some(text)) = (s.get("minLength").and_then(Value::as_u64), v.as_str()) {
            if (text.chars().count() as u64) < m {
                errors.push(format!("{path}: shorter than {m}"));
            }
        }
        if let (Some(m), Some(n)) = (s.get("minimum").and_then(Value::as_i64), v.as_i64()) {
            if n < m {
                errors.push(format!("{path}: below {m}"));
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            for k in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(k) = k.as_str().filter(|k| !obj.contains_key(*k)) {
                    errors.push(format!("{path}: missing {k}"));
                }
            }
            for (k, x) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(sub) => errors.extend(validate(root, sub, x, &format!("{path}/{k}"))),
                    None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        errors.push(format!("{path}: unexpected {k}"))
                    }
                    None => {}
                }
            }
        }
        if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
            for (i, x) in arr.iter().enumerate() {
                errors.extend(validate(root, items, x, &format!("{path}/{i}")));
            }
        }
        errors
    }
}

#[test]
fn every_code_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    for c in runbook::doctor::CHECKS {
        let row = format!("| {} | `{}` |", c.code, c.name);
        let line = readme.lines().find(|l| l.starts_with(&row));
        let line = line.unwrap_or_else(|| panic!("README has no row {row}"));
        assert!(
            line.ends_with(&format!("| {} |", c.severity.as_str())),
            "{line}"
        );
    }
}
