//! A step's box: badges (nodes, kind, phase), a copy button, and a toggle showing what the
//! runbook does for it.

use super::media::encode_path;
use super::Ctx;
use crate::html::escape;
use crate::model::{Kind, Step};

pub fn step_box(ctx: &Ctx, s: &Step) -> String {
    let id = escape(&s.id);
    let color = s.nodes.first().map(|n| ctx.color(n)).unwrap_or(0);
    let mut h = String::with_capacity(1024 + s.run.len() * 2);
    h.push_str(&format!(
        "<div class=\"step n{color}{}\" id=\"step-{id}\" data-kind=\"{}\">\n<div class=\"step-head\">",
        if s.selected() { "" } else { " unselected" },
        s.kind.as_str()
    ));
    h.push_str(&format!(
        "<span class=\"step-title\">{}</span>",
        escape(&s.title)
    ));
    for n in &s.nodes {
        h.push_str(&format!(
            "<a class=\"badge node n{}\" href=\"node-{}.html#step-{id}\" title=\"{} 노드의 단계 목록\">{}</a>",
            ctx.color(n),
            encode_path(n),
            escape(n),
            escape(n)
        ));
    }
    h.push_str(&format!(
        "<span class=\"badge kind k-{}\">{}</span>",
        s.kind.as_str(),
        s.kind.label_ko()
    ));
    match &s.option {
        Some(o) if !o.selected => {
            h.push_str(&format!(
                "<span class=\"badge alt\" title=\"{}\">선택되지 않은 대안</span>",
                escape(&format!("{} = {}", o.name, o.value))
            ));
        }
        _ => {
            h.push_str(&format!(
                "<a class=\"badge phase\" href=\"order.html#phase-{}\" title=\"실행 순서에서 보기\">실행 단계 {}</a>",
                s.phase, s.phase
            ));
        }
    }
    h.push_str(&format!(
        "<button type=\"button\" class=\"copy\" data-target=\"run-{id}\" hidden>복사</button>"
    ));
    h.push_str(&format!(
        "<a class=\"step-link\" href=\"#step-{id}\" aria-label=\"이 단계의 링크\">#</a></div>\n"
    ));
    h.push_str("<details><summary>런북이 하는 일</summary>\n<div class=\"step-body\">\n");
    let path = s.path.as_deref().map(escape).unwrap_or_default();
    match s.kind {
        Kind::Command => h.push_str("<p>다음 명령을 실행합니다. 다시 실행해도 같은 결과가 되도록 보호되어 있습니다.</p>\n"),
        Kind::Verify => h.push_str("<p>다음 확인 명령을 실행하고, 실패하면 알립니다. 아무것도 바꾸지 않습니다.</p>\n"),
        Kind::Sql => h.push_str("<p>데이터베이스 클라이언트로 다음 SQL을 실행합니다. 이미 있는 것은 건너뛰도록(<code>IF NOT EXISTS</code> 등) 바꾼 형태입니다.</p>\n"),
        Kind::Manual => h.push_str("<p>자동으로 실행하지 않는 수동 단계입니다. 런북은 다음 안내를 보여 주고, 실행 옵션에 따라 멈추거나 건너뜁니다.</p>\n"),
        Kind::File => h.push_str(&format!(
            "<p><code>{path}</code> 파일의 내용 전체를 씁니다. 내용이 다를 때만 쓰고, 원본은 한 번 백업합니다.</p>\n"
        )),
        Kind::Ini => {
            h.push_str(&format!(
                "<p><code>{path}</code> 파일에서 다음 설정을 맞춥니다. 다른 줄과 주석은 그대로 둡니다.</p>\n"
            ));
            if let Some(settings) = s.settings.as_ref().filter(|v| !v.is_empty()) {
                h.push_str("<table><thead><tr><th>섹션</th><th>키</th><th>값</th></tr></thead><tbody>\n");
                for st in settings {
                    h.push_str(&format!(
                        "<tr><td><code>[{}]</code></td><td><code>{}</code></td><td><code>{}</code></td></tr>\n",
                        escape(&st.section),
                        escape(&st.key),
                        escape(&st.value)
                    ));
                }
                h.push_str("</tbody></table>\n");
            }
        }
        Kind::Lines => {
            h.push_str(&format!(
                "<p><code>{path}</code> 파일에 다음 줄이 있도록 합니다. 같은 키의 기존 값은 바꾸고 다른 줄은 그대로 둡니다.</p>\n"
            ));
            if let Some(lines) = s.lines.as_ref().filter(|v| !v.is_empty()) {
                h.push_str("<ul>");
                for l in lines {
                    h.push_str(&format!("<li><code>{}</code></li>", escape(l)));
                }
                h.push_str("</ul>\n");
            }
            if !s.comment_out.is_empty() {
                h.push_str("<p>다음 줄은 주석 처리합니다.</p><ul>");
                for l in &s.comment_out {
                    h.push_str(&format!("<li><code>{}</code></li>", escape(l)));
                }
                h.push_str("</ul>\n");
            }
        }
    }
    let label = if s.kind == Kind::Manual {
        "안내"
    } else {
        "런북이 실행하는 bash"
    };
    h.push_str(&format!(
        "<p class=\"where\">{label}:</p>\n<pre><code id=\"run-{id}\" class=\"language-bash\">{}</code></pre>\n",
        escape(s.run.trim_end_matches('\n'))
    ));
    let mut meta = format!(
        "가이드 <code>{}</code>{}",
        escape(&s.source.file),
        if s.end_line > s.source.line {
            format!(" {}–{}행", s.source.line, s.end_line)
        } else {
            format!(" {}행", s.source.line)
        }
    );
    if !s.variables.is_empty() {
        meta.push_str(" · 변수 ");
        let vs: Vec<String> = s
            .variables
            .iter()
            .map(|v| format!("<code>{}</code>", escape(v)))
            .collect();
        meta.push_str(&vs.join(", "));
    }
    if let Some(o) = &s.option {
        meta.push_str(&format!(
            " · 대안 <code>{} = {}</code>{}",
            escape(&o.name),
            escape(&o.value),
            if o.selected {
                " (선택됨)"
            } else {
                " (선택되지 않음)"
            }
        ));
    }
    h.push_str(&format!(
        "<p class=\"where\">{meta}</p>\n</div></details>\n</div>\n"
    ));
    h
}

/// A compact row for a node page: the step's title linking to it in its chapter, its kind and
/// the first line of what the runbook runs.
pub fn step_row(ctx: &Ctx, s: &Step) -> String {
    let id = escape(&s.id);
    let (page, _) = s.anchor.split_once('#').unwrap_or((s.anchor.as_str(), ""));
    let first = match (s.kind, s.path.as_deref()) {
        (Kind::File | Kind::Ini | Kind::Lines, Some(p)) => p,
        _ => s.run.lines().find(|l| !l.trim().is_empty()).unwrap_or(""),
    };
    let first: String = first.chars().take(110).collect();
    let mut others = String::new();
    if s.nodes.len() > 1 {
        for n in &s.nodes {
            others.push_str(&format!(
                " <span class=\"badge node n{}\">{}</span>",
                ctx.color(n),
                escape(n)
            ));
        }
    }
    format!(
        "<li class=\"step-row\" id=\"step-{id}\"><a href=\"{}#step-{id}\">{}</a> <span class=\"badge kind k-{}\">{}</span>{others}{}</li>\n",
        encode_path(page),
        escape(&s.title),
        s.kind.as_str(),
        s.kind.label_ko(),
        if first.is_empty() {
            String::new()
        } else {
            format!("<br><code class=\"run-preview\">{}</code>", escape(&first))
        }
    )
}
