//! A hostile guide: nothing from it may become a script, an event handler, a frame, a style or a
//! `javascript:` URL in the site. The theme's own script tags are the only ones.

mod site_common;

use regex::Regex;
use site_common::*;

const GUIDE: &str = r##"# 설치 <script>alert(1)</script> 가이드

<script>alert("block")</script>

<img src=x onerror=alert(1)>

문단 안의 <img src="x" onerror="alert(2)"> 그림과 <b onmouseover=alert(3)>굵게</b>.

[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2)) [z](java&#x73;cript:alert(3))
[w]( javascript:alert(4) ) [v](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

<a href="javascript:alert(5)">a 태그</a>

<iframe src="https://example.invalid/"></iframe>

<style>body { display: none }</style>

<div onclick="alert(6)">div</div>

<img src="javascript:alert(7)" alt="스크립트 그림">

<svg onload=alert(8)><circle r=1 /></svg>

![i](javascript:alert(9))

<details open ontoggle=alert(10)><summary onclick=alert(11)>요약</summary>내용</details>

<math><mi xlink:href="javascript:alert(12)">x</mi></math>

<IMG SRC="jav&#x09;ascript:alert(13)">

## 제목 <img src=x onerror=alert(14)> <script>x()</script>

### [링크 제목](javascript:alert(15))

**Controller 노드에서 진행**

- 패키지 설치: `yum install -y <script>alert(16)</script>`

  ```bash
  echo '<script>alert(17)</script>' > /tmp/x
  ```
"##;

#[test]
fn nothing_executable_from_the_guide_reaches_a_page() {
    let dir = scratch("hostile");
    let guide = dir.join("guide");
    std::fs::create_dir_all(&guide).unwrap();
    std::fs::write(guide.join("01-<script>.md"), GUIDE).unwrap();
    std::fs::write(
        guide.join("runbook.toml"),
        "title = \"<script>alert('title')</script> 가이드\"\n",
    )
    .unwrap();
    let out = dir.join("out");
    build(&guide, &out);
    let site = out.join("site");

    let theme_script = Regex::new(
        r#"^<script src="(assets/early\.js|assets/site\.js|toc\.js|search-index\.js|assets/search\.js)"></script>"#,
    )
    .unwrap();
    let handler = Regex::new(r#"(?i)<[a-z][^>]*\son[a-z]+\s*="#).unwrap();
    let bad_tag =
        Regex::new(r"(?i)<(iframe|style|svg\s+onload|object|embed|math|a\s+href=.javascript)")
            .unwrap();
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&site) {
        let e = e.unwrap();
        let p = e.path();
        let name = p.strip_prefix(&site).unwrap().display().to_string();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        if ext != "html" && ext != "js" {
            continue;
        }
        let text = std::fs::read_to_string(p).unwrap();
        let lower = text.to_ascii_lowercase();
        if name.starts_with("assets/") {
            continue; // the theme's own JavaScript
        }
        if ext == "js" {
            assert!(
                !lower.contains("</script"),
                "{name}: closes a script element"
            );
            continue;
        }
        pages += 1;
        for (i, _) in lower.match_indices("<script") {
            assert!(
                theme_script.is_match(&text[i..]),
                "{name}: a script tag that is not the theme's: {}",
                &text[i..(i + 80).min(text.len())]
            );
        }
        assert!(
            !lower.contains("javascript:"),
            "{name}: contains javascript:"
        );
        assert!(!lower.contains("data:text"), "{name}: contains a data: URL");
        if let Some(m) = handler.find(&text) {
            panic!("{name}: event handler attribute: {}", m.as_str());
        }
        if let Some(m) = bad_tag.find(&text) {
            panic!("{name}: forbidden tag: {}", m.as_str());
        }
    }
    assert!(pages >= 4, "only {pages} pages checked");
    // the escaped guide text is still shown to the reader
    let page = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("01-"))
        .expect("chapter page");
    let html = std::fs::read_to_string(page).unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped script text is shown"
    );
    assert!(
        html.contains("<details><summary>요약</summary>"),
        "safe subset kept"
    );
    assert!(
        html.contains("class=\"img-missing\""),
        "missing image placeholder"
    );
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("<h1>&lt;script&gt;alert("), "title escaped");
    std::fs::remove_dir_all(&dir).ok();
}
