//! A step's box: badges (nodes, kind, phase), a copy button, and a toggle showing what the
//! runbook does for it.

use super::highlight::{self, Lang, Reading};
use super::Ctx;
use runbook_core::html::{escape, escape_into};
use runbook_core::links::encode_path;
use runbook_core::model::{Action, Kind, Setting, Step};
use std::fmt::Write as _;

/// What the runbook runs for a step, as HTML: its bash highlighted (a manual step's
/// instructions as text).
pub fn run_html(s: &Step) -> String {
    let run = s.run.trim_end_matches('\n');
    let mut h = String::with_capacity(run.len() * 2);
    if s.kind() == Kind::Manual {
        escape_into(&mut h, run);
    } else {
        highlight::highlight(&mut h, run, Lang::Shell, Reading::Source, &[]);
    }
    h
}

pub fn step_box(ctx: &Ctx, s: &Step) -> String {
    let mut h = String::with_capacity(1536 + s.run.len() * 2);
    push_step_box(&mut h, ctx, s);
    h
}

/// [`step_box`], appended to `h`.
pub fn push_step_box(h: &mut String, ctx: &Ctx, s: &Step) {
    let id = escape(&s.id);
    push_head(h, ctx, s, &id);
    h.push_str("<details><summary>런북이 하는 일</summary>\n<div class=\"step-body\">\n");
    push_what_it_does(h, s);
    let label = if s.kind() == Kind::Manual {
        "안내"
    } else {
        "런북이 실행하는 bash"
    };
    let _ = write!(
        h,
        "<p class=\"where\">{label}:</p>\n<pre><code id=\"run-{id}\" class=\"language-bash\">"
    );
    ctx.push_run(h, s);
    h.push_str("</code></pre>\n");
    push_source_note(h, s);
    push_why(h, s);
    h.push_str("</div></details>\n</div>\n");
}

/// Why the step reads as it does: the rule behind each decision and the guide's line it read
/// (`runbook list --explain ID` says more).
fn push_why(h: &mut String, s: &Step) {
    if s.why.is_empty() {
        return;
    }
    h.push_str("<p class=\"why\">읽은 규칙:");
    for (i, r) in s.why.iter().enumerate() {
        let about = match r.about.as_str() {
            "kind" => "종류",
            "nodes" => "노드",
            "file" => "파일",
            "skip" => "제외",
            other => other,
        };
        let sep = if i == 0 { " " } else { " · " };
        let _ = write!(h, "{sep}{about} <code>");
        escape_into(h, &r.rule);
        h.push_str("</code>");
        if r.at.file == s.source.file {
            let _ = write!(h, " ({}행)", r.at.line);
        } else {
            h.push_str(" (");
            escape_into(h, &r.at.file);
            let _ = write!(h, " {}행)", r.at.line);
        }
    }
    h.push_str("</p>\n");
}

/// The box's head: the title, a badge per node, the kind, the phase (or the alternative not
/// selected), the copy button and the step's own link.
fn push_head(h: &mut String, ctx: &Ctx, s: &Step, id: &str) {
    let color = s.nodes.first().map(|n| ctx.color(n)).unwrap_or(0);
    let _ = write!(
        h,
        "<div class=\"step n{color}{}\" id=\"step-{id}\" data-kind=\"{}\">\n<div class=\"step-head\"><span class=\"step-title\">",
        if s.selected() { "" } else { " unselected" },
        s.kind().as_str()
    );
    escape_into(h, &s.title);
    h.push_str("</span>");
    for n in &s.nodes {
        let _ = write!(
            h,
            "<a class=\"badge node n{}\" href=\"node-{}.html#step-{id}\" title=\"",
            ctx.color(n),
            encode_path(n),
        );
        escape_into(h, n);
        h.push_str(" 노드의 단계 목록\">");
        escape_into(h, n);
        h.push_str("</a>");
    }
    let _ = write!(
        h,
        "<span class=\"badge kind k-{}\">{}</span>",
        s.kind().as_str(),
        s.kind().label_ko()
    );
    match &s.option {
        Some(o) if !o.selected => {
            h.push_str("<span class=\"badge alt\" title=\"");
            escape_into(h, &format!("{} = {}", o.name, o.value));
            h.push_str("\">선택되지 않은 대안</span>");
        }
        _ => {
            let _ = write!(
                h,
                "<a class=\"badge phase\" href=\"order.html#phase-{}\" title=\"실행 순서에서 보기\">실행 단계 {}</a>",
                s.phase, s.phase
            );
        }
    }
    let _ = writeln!(
        h,
        "<button type=\"button\" class=\"copy\" data-target=\"run-{id}\" hidden>복사</button><a class=\"step-link\" href=\"#step-{id}\" aria-label=\"이 단계의 링크\">#</a></div>"
    );
}

/// What the runbook does for the step, in a sentence, with an edit's settings or lines.
fn push_what_it_does(h: &mut String, s: &Step) {
    let path = s.path().map(escape).unwrap_or_default();
    match &s.action {
        Action::Command => h.push_str("<p>다음 명령을 실행합니다. 다시 실행해도 같은 결과가 되도록 보호되어 있습니다.</p>\n"),
        Action::Verify => h.push_str("<p>다음 확인 명령을 실행하고, 실패하면 알립니다. 아무것도 바꾸지 않습니다.</p>\n"),
        Action::Sql => h.push_str("<p>데이터베이스 클라이언트로 다음 SQL을 실행합니다. 이미 있는 것은 건너뛰도록(<code>IF NOT EXISTS</code> 등) 바꾼 형태입니다.</p>\n"),
        Action::Manual => h.push_str("<p>자동으로 실행하지 않는 수동 단계입니다. 런북은 다음 안내를 보여 주고, 실행 옵션에 따라 멈추거나 건너뜁니다.</p>\n"),
        Action::File { .. } => {
            let _ = writeln!(
                h,
                "<p><code>{path}</code> 파일의 내용 전체를 씁니다. 내용이 다를 때만 쓰고, 원본은 한 번 백업합니다.</p>"
            );
        }
        Action::Ini { settings, .. } => {
            let _ = writeln!(
                h,
                "<p><code>{path}</code> 파일에서 다음 설정을 맞춥니다. 다른 줄과 주석은 그대로 둡니다.</p>"
            );
            push_ini_table(h, settings);
        }
        Action::Lines {
            lines, comment_out, ..
        } => {
            let _ = writeln!(
                h,
                "<p><code>{path}</code> 파일에 다음 줄이 있도록 합니다. 같은 키의 기존 값은 바꾸고 다른 줄은 그대로 둡니다.</p>"
            );
            push_code_list(h, lines);
            if !comment_out.is_empty() {
                h.push_str("<p>다음 줄은 주석 처리합니다.</p>");
                push_code_list(h, comment_out);
            }
        }
    }
}

/// An ini edit's settings as a table (section, key, value).
fn push_ini_table(h: &mut String, settings: &[Setting]) {
    if settings.is_empty() {
        return;
    }
    h.push_str("<table><thead><tr><th>섹션</th><th>키</th><th>값</th></tr></thead><tbody>\n");
    for st in settings {
        h.push_str("<tr><td><code>[");
        escape_into(h, &st.section);
        h.push_str("]</code></td><td><code>");
        escape_into(h, &st.key);
        h.push_str("</code></td><td><code>");
        escape_into(h, &st.value);
        h.push_str("</code></td></tr>\n");
    }
    h.push_str("</tbody></table>\n");
}

/// Lines as a list of code.
fn push_code_list(h: &mut String, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    h.push_str("<ul>");
    for l in lines {
        h.push_str("<li><code>");
        escape_into(h, l);
        h.push_str("</code></li>");
    }
    h.push_str("</ul>\n");
}

/// Where the step is in the guide, its variables and its alternative.
fn push_source_note(h: &mut String, s: &Step) {
    h.push_str("<p class=\"where\">가이드 <code>");
    escape_into(h, &s.source.file);
    h.push_str("</code>");
    if s.end_line > s.source.line {
        let _ = write!(h, " {}–{}행", s.source.line, s.end_line);
    } else {
        let _ = write!(h, " {}행", s.source.line);
    }
    if !s.variables.is_empty() {
        h.push_str(" · 변수 ");
        for (i, v) in s.variables.iter().enumerate() {
            if i > 0 {
                h.push_str(", ");
            }
            h.push_str("<code>");
            escape_into(h, v);
            h.push_str("</code>");
        }
    }
    if let Some(o) = &s.option {
        h.push_str(" · 대안 <code>");
        escape_into(h, &o.name);
        h.push_str(" = ");
        escape_into(h, &o.value);
        h.push_str("</code>");
        h.push_str(if o.selected {
            " (선택됨)"
        } else {
            " (선택되지 않음)"
        });
    }
    h.push_str("</p>\n");
}
