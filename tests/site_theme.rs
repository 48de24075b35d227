//! Themes get data: a node template that lays its rows out in a way the compiled row blocks do
//! not follow gets the rows as objects and renders the same rows; a theme's own row layout is
//! used as written.

#[path = "site_common/mod.rs"]
mod site_common;

use runbook::build::{render_all, BuildOptions};
use site_common::*;
use std::path::Path;

/// The site's files for the bundled guide with `theme` (file name → content), as text.
fn site_pages(theme: Option<&Path>) -> Vec<(String, String)> {
    let c = runbook::compile(&repo().join("guide")).expect("compile the bundled guide");
    let opts = BuildOptions {
        theme: theme.map(Path::to_path_buf),
    };
    let files = render_all(&c, &opts).expect("render");
    files
        .into_iter()
        .filter(|f| f.path.starts_with("site"))
        .filter(|f| f.path.extension().is_some_and(|e| e == "html"))
        .map(|f| {
            let name = f.path.to_string_lossy().into_owned();
            (name, String::from_utf8(f.bytes).expect("UTF-8 page"))
        })
        .collect()
}

fn default_node_template() -> String {
    std::fs::read_to_string(repo().join("themes/default/node.hbs")).expect("node.hbs")
}

#[test]
fn rows_as_objects_render_as_the_compiled_rows_do() {
    let dir = scratch("theme-rows");
    // a block parameter: the engine lays the rows out itself, from the row objects
    let node = default_node_template()
        .replace("{{#each steps}}", "{{#each steps as |row|}}")
        .replace("{{#each unselected}}", "{{#each unselected as |row|}}");
    assert_ne!(node, default_node_template());
    std::fs::write(dir.join("node.hbs"), node).unwrap();
    let fast = site_pages(None);
    let slow = site_pages(Some(&dir));
    assert_eq!(fast.len(), slow.len());
    let mut nodes = 0;
    for ((name, a), (_, b)) in fast.iter().zip(&slow) {
        assert!(a == b, "{name} differs when the rows go to the engine");
        nodes += usize::from(name.contains("node-"));
    }
    assert!(nodes >= 2, "node pages compared");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_theme_lays_out_its_own_rows() {
    let dir = scratch("theme-own-rows");
    std::fs::write(
        dir.join("node.hbs"),
        "<h1>{{name}}</h1>{{#each phases}}<h2>{{phase}} ({{count}})</h2>\
         {{#each steps}}<p data-phase=\"{{phase}}\" data-kind=\"{{kind}}\"><a href=\"{{{anchor}}}\">{{{title}}}</a>{{#each nodes}}<i>{{{name}}}</i>{{/each}} {{@index}}</p>{{/each}}{{/each}}",
    )
    .unwrap();
    let pages = site_pages(Some(&dir));
    let (_, controller) = pages
        .iter()
        .find(|(n, _)| n.ends_with("node-controller.html"))
        .expect("controller page");
    assert!(controller.contains("<h1>controller</h1>"));
    assert!(controller.contains("<p data-phase=\"1\" data-kind="));
    assert!(controller.contains(".html#step-"));
    assert!(controller.contains("<i>controller</i>"));
    assert!(controller.contains("</a><i>controller</i> 0</p>"));
    std::fs::remove_dir_all(&dir).ok();
}
