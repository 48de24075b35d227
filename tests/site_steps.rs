//! Steps placed in their chapters right after their blocks (hand-made plan), GitHub heading ids,
//! links between chapters, images.

mod site_common;

use runbook::model::{Action, Plan, Step, StepOption};
use site_common::*;

fn step(id: &str, file: &str, line: usize, end: usize, page: &str) -> Step {
    Step {
        id: id.into(),
        source: runbook::model::Source {
            file: file.into(),
            line,
        },
        section: vec!["제목".into()],
        title: format!("단계 {id}"),
        nodes: vec!["controller".into()],
        phase: 1,
        action: Action::Command,
        original: "yum install -y chrony".into(),
        run: format!("echo {id} <&>"),
        variables: Vec::new(),
        option: None,
        end_line: end,
        anchor: format!("{page}#step-{id}"),
        why: Vec::new(),
    }
}

const CH1: &str = "# 제목

- 패키지 설치: `yum install -y chrony`
- 다음 항목

```bash
systemctl enable chronyd
```

문단 끝.

## 보안

[둘째 보안으로](#보안-1), [둘째 장 절](02-next.md#절-하나), [없는 앵커](02-next.md#없는-앵커),
[GitHub식 인코딩](#%EB%B3%B4%EC%95%88), [없는 장](nope.md), [외부](https://example.com/x)

## 보안

![있는 그림](img/a.png) ![없는 그림](img/none.png) ![원격](https://example.com/r.png)

<img src=\"img/a.png\" alt=\"html 그림\" style=\"zoom:50%\" width=\"120\">
";

const CH2: &str = "# 둘째 장\n\n## 절 하나\n\n본문\n";

#[test]
fn steps_in_place_anchors_links_images() {
    let dir = scratch("steps");
    let g = dir.join("guide");
    std::fs::create_dir_all(g.join("img")).unwrap();
    std::fs::write(g.join("01-first.md"), CH1).unwrap();
    std::fs::write(g.join("02-next.md"), CH2).unwrap();
    std::fs::write(g.join("img/a.png"), b"\x89PNG\r\n\x1a\nfake").unwrap();
    let mut c = runbook::compile(&g).unwrap();
    let p1 = "01-first.html";
    let mut unselected = step("dddd", "01-first.md", 7, 7, p1);
    unselected.option = Some(StepOption {
        name: "network".into(),
        value: "provider".into(),
        selected: false,
    });
    c.plan = Plan {
        version: 1,
        title: "시험 가이드".into(),
        nodes: vec!["controller".into(), "compute".into()],
        variables: Vec::new(),
        phases: 1,
        steps: vec![
            step("aaaa", "01-first.md", 3, 3, p1),
            step("bbbb", "01-first.md", 6, 8, p1),
            unselected,
            step("cccc", "01-first.md", 999, 1000, p1),
            step("eeee", "elsewhere.md", 1, 1, "index.html"),
        ],
        hosts: Vec::new(),
        networks: Vec::new(),
        options: Vec::new(),
        software: Vec::new(),
    };
    let out = dir.join("out");
    let files = runbook::build::render_all(&c, &Default::default()).unwrap();
    runbook::build::write_atomically(&out, &files).unwrap();
    let site = out.join("site");
    let problems = check_links(&site);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let h = without_highlighting(&std::fs::read_to_string(site.join(p1)).unwrap());
    let at = |s: &str| h.find(s).unwrap_or_else(|| panic!("{s:?} not in page"));
    // a step from a tight list item stays inside that item
    assert!(at("yum install -y chrony") < at("id=\"step-aaaa\""));
    assert!(at("id=\"step-aaaa\"") < at("다음 항목"));
    let item = &h[at("yum install -y chrony")..at("다음 항목")];
    assert!(!item.contains("</ul>"), "step left its list item: {item}");
    // a step of a code block follows the block
    assert!(at("systemctl enable chronyd") < at("id=\"step-bbbb\""));
    assert!(at("id=\"step-bbbb\"") < at("문단 끝"));
    // unselected alternative, marked
    let d = &h[at("id=\"step-dddd\"")..];
    assert!(d[..d.find("</details>").unwrap()].contains("선택되지 않은 대안"));
    // a step whose lines are not in the chapter: at the end, not dropped
    assert!(at("위치를 찾지 못한 단계") < at("id=\"step-cccc\""));
    // the run text is escaped, the toggle and copy button are there
    assert!(h.contains("echo aaaa &lt;&amp;&gt;"));
    assert!(h.contains("<summary>런북이 하는 일</summary>"));
    assert!(h.contains("data-target=\"run-aaaa\""));
    // a step of a file that is no chapter: on the index
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("id=\"step-eeee\""));

    // GitHub-style ids, duplicates numbered; links resolved or degraded
    assert!(h.contains("<h2 id=\"보안\">"));
    assert!(h.contains("<h2 id=\"보안-1\">"));
    assert!(h.contains("href=\"#보안-1\""));
    assert!(
        h.contains("href=\"#보안\""),
        "percent-encoded fragment matched"
    );
    assert!(h.contains("href=\"02-next.html#절-하나\""));
    assert!(h.contains("href=\"02-next.html\">없는 앵커"));
    assert!(h.contains("class=\"broken-link\""));
    assert!(h.contains("href=\"https://example.com/x\""));
    // images: local copied, missing placeholder, remote a link, raw <img> cleaned
    assert!(site.join("media/img/a.png").is_file());
    assert!(h.contains("<img src=\"media/img/a.png\" alt=\"있는 그림\""));
    assert!(h.contains("그림 없음: 없는 그림"));
    assert!(h.contains("<a class=\"remote-img\" href=\"https://example.com/r.png\""));
    assert!(h.contains(
        "<img src=\"media/img/a.png\" alt=\"html 그림\" loading=\"lazy\" width=\"120\">"
    ));
    assert!(!h.contains("zoom"));
    // node pages list the steps; the order page has the phase
    let node = std::fs::read_to_string(site.join("node-controller.html")).unwrap();
    assert!(node.contains("id=\"step-aaaa\"") && node.contains("id=\"phase-1\""));
    assert!(node.contains("id=\"unselected\""));
    let order = std::fs::read_to_string(site.join("order.html")).unwrap();
    assert!(order.contains("./controller.sh --phase 1"));
    // image warnings for check
    let warnings: Vec<_> = c
        .diagnostics
        .items
        .iter()
        .filter(|d| d.message.starts_with("image "))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .to_string()
            .starts_with("01-first.md:19: warning"),
        "{}",
        warnings[0]
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Each step card says which rules read the step, with the guide's lines they read.
#[test]
fn step_cards_show_the_rules_behind_a_step() {
    let guide = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("guide");
    let c = runbook::compile(&guide).expect("the bundled guide compiles");
    let files = runbook::build::render_all(&c, &Default::default()).unwrap();
    let step = c
        .plan
        .steps
        .iter()
        .find(|s| s.why.iter().any(|r| r.rule == "scope-line"))
        .expect("a step scoped by a scope line");
    let page = format!("site/{}", step.anchor.split('#').next().unwrap());
    let html = files
        .iter()
        .find(|f| f.path.to_string_lossy() == page)
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .expect("the step's page");
    let card = &html[html.find(&format!("id=\"step-{}\"", step.id)).unwrap()..];
    let why = &card[card.find("class=\"why\"").expect("the card's rules")..];
    let why = &why[..why.find("</p>").unwrap()];
    assert!(why.contains("<code>scope-line</code>"), "{why}");
    assert!(why.contains("노드"), "{why}");
}
