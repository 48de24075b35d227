//! The step rows of the node pages, as data, and a fast way to lay them out.
//!
//! `node.hbs` gets each phase's steps (and the unselected ones) as lists of row objects
//! ([`StepRow`]) and lays them out with `{{#each steps}}…{{/each}}` like any other list. A large
//! guide has tens of thousands of rows, and the template engine spends far more on each row
//! (values built, paths looked up) than writing the row costs. So when the theme is loaded,
//! every `{{#each steps}}` and `{{#each unselected}}` block of `node.hbs` whose body keeps to
//! what a row needs (text, `{{field}}`, `{{{field}}}`, `{{#if}}`/`{{#unless}}` with `{{else}}`,
//! `{{#each nodes}}`) is compiled into a [`RowProgram`], which writes exactly what the engine
//! would, straight from the rows; the block is swapped for an expression that inserts the
//! program's output. A template that uses the lists in any other way gets the row objects
//! themselves and is rendered by the engine as written.

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use handlebars::{Handlebars, Path, PathSeg};
use runbook_core::html::escape;
use runbook_core::links::encode_path;
use runbook_core::model::Step;
use serde::Serialize;

use super::Ctx;

/// Longest preview of a step's first line, in characters.
const PREVIEW_CHARS: usize = 110;

/// The lists of rows `node.hbs` gets: each phase's `steps`, and `unselected`.
const ROW_LISTS: [&str; 2] = ["steps", "unselected"];

/// Helpers the engine has built in: a path with one of these names is a helper call.
const BUILTIN_HELPERS: &[&str] = &[
    "if", "unless", "each", "with", "lookup", "raw", "log", "eq", "ne", "gt", "gte", "lt", "lte",
    "and", "or", "not", "len",
];

/// A step as a row of a node page. Text fields are HTML (escaped once here): templates insert
/// them with `{{{…}}}`.
#[derive(Serialize, Debug, Clone)]
pub(crate) struct StepRow {
    /// The step's id (`step-{id}` is its anchor on every page).
    pub id: String,
    pub title: String,
    /// `command`, `file`, `ini`, `lines`, `sql`, `verify` or `manual`.
    pub kind: &'static str,
    /// The kind in Korean (`명령`, `파일`, …).
    pub label: &'static str,
    /// The chapter page the step is on (a URL).
    pub page: String,
    /// The step in its chapter (`{page}#step-{id}`, a URL).
    pub anchor: String,
    /// The nodes that run it.
    pub nodes: Vec<RowNode>,
    /// It runs on more than one node.
    pub shared: bool,
    /// The file it edits, else the first line of what the runbook runs (cut short).
    pub first: String,
    pub phase: u32,
    /// The configuration selected its alternative (or it is no alternative).
    pub selected: bool,
}

/// A node a row's step runs on.
#[derive(Serialize, Debug, Clone)]
pub(crate) struct RowNode {
    pub name: String,
    /// The node's colour (0..8: classes `n0`…`n7`).
    pub color: usize,
}

impl StepRow {
    pub fn new(ctx: &Ctx, s: &Step) -> StepRow {
        let (page, _) = s.anchor.split_once('#').unwrap_or((s.anchor.as_str(), ""));
        let first = match s.path() {
            Some(p) => p,
            None => s.run.lines().find(|l| !l.trim().is_empty()).unwrap_or(""),
        };
        let first = match first.char_indices().nth(PREVIEW_CHARS) {
            Some((i, _)) => &first[..i],
            None => first,
        };
        let id = escape(&s.id);
        let page = encode_path(page);
        StepRow {
            anchor: format!("{page}#step-{id}"),
            id,
            title: escape(&s.title),
            kind: s.kind().as_str(),
            label: s.kind().label_ko(),
            page,
            nodes: s
                .nodes
                .iter()
                .map(|n| RowNode {
                    name: escape(n),
                    color: ctx.color(n),
                })
                .collect(),
            shared: s.nodes.len() > 1,
            first: escape(first),
            phase: s.phase,
            selected: s.selected(),
        }
    }
}

/// A value of a row or node field, as the template engine would see it.
#[derive(Clone, Copy)]
enum Val<'r> {
    Text(&'r str),
    Num(u64),
    Bool(bool),
    Nodes(&'r [RowNode]),
    Missing,
}

impl Val<'_> {
    /// The engine's truthiness (`{{#if}}` without `includeZero`).
    fn truthy(self) -> bool {
        match self {
            Val::Text(s) => !s.is_empty(),
            Val::Num(n) => n != 0,
            Val::Bool(b) => b,
            Val::Nodes(n) => !n.is_empty(),
            Val::Missing => false,
        }
    }

    fn write(self, out: &mut String, escape: bool) {
        let num;
        let s = match self {
            Val::Text(s) => s,
            Val::Num(n) => {
                num = itoa(n);
                num.as_str()
            }
            Val::Bool(b) => {
                if b {
                    "true"
                } else {
                    "false"
                }
            }
            // not compiled (see `Field::compile`)
            Val::Nodes(_) | Val::Missing => "",
        };
        if escape {
            out.push_str(&handlebars::html_escape(s));
        } else {
            out.push_str(s);
        }
    }
}

/// The decimal digits of `n`, without allocating.
struct Digits {
    buf: [u8; 20],
    start: usize,
}

impl Digits {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or("")
    }
}

fn itoa(mut n: u64) -> Digits {
    let mut d = Digits {
        buf: [0; 20],
        start: 20,
    };
    loop {
        d.start -= 1;
        d.buf[d.start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return d;
        }
    }
}

/// What a name means where it is used: a row's field, or a node's inside `{{#each nodes}}`.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Scope {
    Row,
    Node,
}

/// A field of a row or of a node.
#[derive(Clone, Copy, Debug)]
enum Field {
    Id,
    Title,
    Kind,
    Label,
    Page,
    Anchor,
    Nodes,
    Shared,
    First,
    Phase,
    Selected,
    NodeName,
    NodeColor,
    /// A name neither has (renders nothing, is false).
    Missing,
}

impl Field {
    fn of(scope: Scope, name: &str) -> Field {
        match (scope, name) {
            (Scope::Row, "id") => Field::Id,
            (Scope::Row, "title") => Field::Title,
            (Scope::Row, "kind") => Field::Kind,
            (Scope::Row, "label") => Field::Label,
            (Scope::Row, "page") => Field::Page,
            (Scope::Row, "anchor") => Field::Anchor,
            (Scope::Row, "nodes") => Field::Nodes,
            (Scope::Row, "shared") => Field::Shared,
            (Scope::Row, "first") => Field::First,
            (Scope::Row, "phase") => Field::Phase,
            (Scope::Row, "selected") => Field::Selected,
            (Scope::Node, "name") => Field::NodeName,
            (Scope::Node, "color") => Field::NodeColor,
            _ => Field::Missing,
        }
    }

    fn get<'r>(self, row: &'r StepRow, node: Option<&'r RowNode>) -> Val<'r> {
        match (self, node) {
            (Field::Id, _) => Val::Text(&row.id),
            (Field::Title, _) => Val::Text(&row.title),
            (Field::Kind, _) => Val::Text(row.kind),
            (Field::Label, _) => Val::Text(row.label),
            (Field::Page, _) => Val::Text(&row.page),
            (Field::Anchor, _) => Val::Text(&row.anchor),
            (Field::Nodes, _) => Val::Nodes(&row.nodes),
            (Field::Shared, _) => Val::Bool(row.shared),
            (Field::First, _) => Val::Text(&row.first),
            (Field::Phase, _) => Val::Num(u64::from(row.phase)),
            (Field::Selected, _) => Val::Bool(row.selected),
            (Field::NodeName, Some(n)) => Val::Text(&n.name),
            (Field::NodeColor, Some(n)) => Val::Num(n.color as u64),
            _ => Val::Missing,
        }
    }
}

/// One step of a row program.
#[derive(Debug)]
enum Op {
    Text(String),
    Field {
        field: Field,
        escape: bool,
    },
    If {
        field: Field,
        /// `{{#unless}}`
        negate: bool,
        then: Vec<Op>,
        otherwise: Vec<Op>,
    },
    EachNode {
        body: Vec<Op>,
        otherwise: Vec<Op>,
    },
}

/// A block of `node.hbs` over a list of rows, compiled.
#[derive(Debug)]
pub(crate) struct RowProgram {
    /// The list it runs over (`steps` or `unselected`).
    pub list: &'static str,
    /// The key under which the context holds its output, beside the list.
    pub key: String,
    ops: Vec<Op>,
}

impl RowProgram {
    /// Write `row` as the block writes it.
    pub fn write(&self, row: &StepRow, out: &mut String) {
        run(&self.ops, row, None, out);
    }

    /// The block's output for one row.
    pub fn row(&self, row: &StepRow) -> String {
        let mut out = String::with_capacity(256);
        self.write(row, &mut out);
        out
    }
}

fn run(ops: &[Op], row: &StepRow, node: Option<&RowNode>, out: &mut String) {
    for op in ops {
        match op {
            Op::Text(t) => out.push_str(t),
            Op::Field { field, escape } => field.get(row, node).write(out, *escape),
            Op::If {
                field,
                negate,
                then,
                otherwise,
            } => {
                let branch = if field.get(row, node).truthy() != *negate {
                    then
                } else {
                    otherwise
                };
                run(branch, row, node, out);
            }
            Op::EachNode { body, otherwise } => {
                if row.nodes.is_empty() {
                    run(otherwise, row, node, out);
                }
                for n in &row.nodes {
                    run(body, row, Some(n), out);
                }
            }
        }
    }
}

/// The one name of a plain path (`{{name}}`), if that is what `p` is.
fn plain_name(p: &Parameter) -> Option<&str> {
    match p {
        Parameter::Path(Path::Relative((segs, _))) => match segs.as_slice() {
            [PathSeg::Named(n)] if !BUILTIN_HELPERS.contains(&n.as_str()) => Some(n),
            _ => None,
        },
        _ => None,
    }
}

/// `{{name}}` or `{{{name}}}` with nothing else.
fn plain_expression(h: &HelperTemplate) -> Option<&str> {
    let bare = h.params.is_empty() && h.hash.is_empty() && h.block_param.is_none();
    bare.then(|| plain_name(&h.name)).flatten()
}

/// A block helper's name and its one plain parameter (`{{#if shared}}`), if that is what `h` is.
fn plain_block(h: &HelperTemplate) -> Option<(&str, &str)> {
    let name = match &h.name {
        Parameter::Name(n) => n.as_str(),
        _ => return None,
    };
    let [param] = h.params.as_slice() else {
        return None;
    };
    if !h.hash.is_empty() || h.block_param.is_some() {
        return None;
    }
    Some((name, plain_name(param)?))
}

/// A row block's body as a program, if it keeps to what the program does.
fn compile(t: &Template, scope: Scope) -> Option<Vec<Op>> {
    let mut ops = Vec::new();
    for e in &t.elements {
        match e {
            TemplateElement::RawString(s) => ops.push(Op::Text(s.clone())),
            TemplateElement::Comment(_) => {}
            TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                let field = Field::of(scope, plain_expression(h)?);
                if matches!(field, Field::Nodes) {
                    return None;
                }
                let escape = matches!(e, TemplateElement::Expression(_));
                ops.push(Op::Field { field, escape });
            }
            TemplateElement::HelperBlock(h) => ops.push(compile_block(h, scope)?),
            _ => return None,
        }
    }
    Some(ops)
}

fn compile_block(h: &HelperTemplate, scope: Scope) -> Option<Op> {
    let (helper, name) = plain_block(h)?;
    let then = match &h.template {
        Some(t) => compile(t, scope)?,
        None => Vec::new(),
    };
    let otherwise = match &h.inverse {
        Some(t) => compile(t, scope)?,
        None => Vec::new(),
    };
    let field = Field::of(scope, name);
    match helper {
        "if" | "unless" => Some(Op::If {
            field,
            negate: helper == "unless",
            then,
            otherwise,
        }),
        "each" if scope == Scope::Row && matches!(field, Field::Nodes) => {
            let body = match &h.template {
                Some(t) => compile(t, Scope::Node)?,
                None => Vec::new(),
            };
            Some(Op::EachNode { body, otherwise })
        }
        _ => None,
    }
}

/// `node.hbs` made fast: its row blocks swapped for their programs' output. `None` when the
/// template uses the row lists in a way only the engine can follow (it then gets the rows).
pub(crate) fn compile_node_template(hb: &mut Handlebars<'static>) -> Option<Vec<RowProgram>> {
    let mut t = hb.get_template("node")?.clone();
    let mut programs = Vec::new();
    swap_row_blocks(&mut t, &mut programs)?;
    if programs.is_empty() {
        return None;
    }
    hb.register_template("node", t);
    Some(programs)
}

/// Swap every `{{#each steps}}`/`{{#each unselected}}` block of `t` for `{{{key}}}`, collecting
/// the programs; `None` if the lists are used otherwise than by such blocks and `{{#if}}`s.
fn swap_row_blocks(t: &mut Template, programs: &mut Vec<RowProgram>) -> Option<()> {
    for e in t.elements.iter_mut() {
        match e {
            TemplateElement::RawString(_) | TemplateElement::Comment(_) => {}
            TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                check_parameters(h)?;
            }
            TemplateElement::HelperBlock(h) => {
                if let Some(p) = row_block(h) {
                    let key = format!("__runbook_rows_{}", programs.len());
                    let swapped = Template::compile(&format!("{{{{{{{key}}}}}}}")).ok()?;
                    *e = swapped.elements.into_iter().next()?;
                    programs.push(RowProgram { key, ..p });
                    continue;
                }
                check_block(h)?;
                if let Some(t) = h.template.as_mut() {
                    swap_row_blocks(t, programs)?;
                }
                if let Some(t) = h.inverse.as_mut() {
                    swap_row_blocks(t, programs)?;
                }
            }
            _ => return None,
        }
    }
    Some(())
}

/// A block over a row list whose body compiles.
fn row_block(h: &HelperTemplate) -> Option<RowProgram> {
    let (helper, name) = plain_block(h)?;
    let list = ROW_LISTS.into_iter().find(|l| *l == name)?;
    if helper != "each" || h.inverse.is_some() {
        return None;
    }
    let ops = compile(h.template.as_ref()?, Scope::Row)?;
    Some(RowProgram {
        list,
        key: String::new(),
        ops,
    })
}

/// A block that is no row block may test a row list (`{{#if unselected}}`: the context holds
/// whether it is empty) but use it no other way.
fn check_block(h: &HelperTemplate) -> Option<()> {
    if let Some((helper, _)) = plain_block(h) {
        if helper == "if" || helper == "unless" {
            return Some(());
        }
    }
    check_parameters(h)
}

/// The parameters of an expression or a block name no row list and no whole object.
fn check_parameters(h: &HelperTemplate) -> Option<()> {
    let params = std::iter::once(&h.name)
        .chain(h.params.iter())
        .chain(h.hash.values());
    for p in params {
        match p {
            Parameter::Name(_) | Parameter::Literal(_) => {}
            Parameter::Path(Path::Local(_)) => {}
            Parameter::Path(Path::Relative((segs, _))) => {
                let named = segs.iter().filter_map(|s| match s {
                    PathSeg::Named(n) => Some(n.as_str()),
                    _ => None,
                });
                let mut any = false;
                for n in named {
                    if ROW_LISTS.contains(&n) {
                        return None;
                    }
                    any = true;
                }
                // `this`, `..`: the whole object, lists and all
                any.then_some(())?;
            }
            _ => return None,
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(i: u32, nodes: &[&str], first: &str) -> StepRow {
        StepRow {
            id: format!("s{i}"),
            title: format!("제목 {i} &amp; &lt;b&gt; = 'x'"),
            kind: "command",
            label: "명령",
            page: "ch%201.html".into(),
            anchor: format!("ch%201.html#step-s{i}"),
            nodes: nodes
                .iter()
                .enumerate()
                .map(|(c, n)| RowNode {
                    name: n.to_string(),
                    color: c,
                })
                .collect(),
            shared: nodes.len() > 1,
            first: first.into(),
            phase: i,
            selected: i.is_multiple_of(2),
        }
    }

    /// The engine's output and the fast path's are the same, for the default theme's node
    /// template and for blocks that use every construct the programs know.
    #[test]
    fn programs_write_what_the_engine_writes() {
        let rows = vec![
            row(0, &["controller", "compute"], "yum install -y x"),
            row(1, &["controller"], ""),
            row(2, &[], "a = b `c`"),
        ];
        let default = super::super::theme::DEFAULT
            .iter()
            .find(|(n, _)| *n == "node.hbs")
            .map(|(_, t)| t.to_string())
            .unwrap_or_default();
        let constructs = "{{#each phases}}<ol>{{#each steps}}{{id}}|{{{title}}}|{{title}}|{{phase}}|{{selected}}|{{missing}}|{{#unless selected}}U{{else}}S{{/unless}}|{{#if first}}{{first}}{{else if shared}}sh{{else}}none{{/if}}|{{#each nodes}}[{{name}} {{color}} {{#if color}}c{{/if}}{{id}}]{{else}}no nodes{{/each}}{{! note }}\n{{/each}}</ol>{{/each}}{{#if unselected}}<u>{{#each unselected}}{{{anchor}}} {{kind}} {{label}} {{page}}{{/each}}</u>{{/if}}";
        for source in [default.as_str(), constructs] {
            let mut slow = Handlebars::new();
            slow.register_template_string("node", source).unwrap();
            let mut fast = Handlebars::new();
            fast.register_template_string("node", source).unwrap();
            let programs = compile_node_template(&mut fast).expect("compiled");
            let phase = json!({"phase": 1, "steps": rows});
            let slow_out = slow
                .render(
                    "node",
                    &json!({"name": "n", "phases": [phase], "unselected": rows}),
                )
                .unwrap();
            let mut data =
                json!({"name": "n", "phases": [{"phase": 1, "steps": true}], "unselected": true});
            for p in &programs {
                let out: String = rows.iter().map(|r| p.row(r)).collect();
                match p.list {
                    "steps" => data["phases"][0][&p.key] = json!(out),
                    _ => data[&p.key] = json!(out),
                }
            }
            assert_eq!(fast.render("node", &data).unwrap(), slow_out);
        }
    }

    #[test]
    fn other_uses_of_the_lists_keep_the_engine() {
        for source in [
            "{{#each phases}}{{steps.length}}{{/each}}",
            "{{#each phases}}{{#each steps}}{{@index}}{{/each}}{{/each}}",
            "{{#each phases}}{{#each steps}}{{../phase}}{{/each}}{{/each}}",
            "{{#each phases}}{{#each this}}{{this}}{{/each}}{{/each}}",
            "{{#each unselected}}{{> row}}{{/each}}",
            "{{#each unselected as |r|}}{{r.id}}{{/each}}",
            "{{#each unselected}}x{{else}}none{{/each}}",
            "{{len unselected}}",
            "no rows at all",
        ] {
            let mut hb = Handlebars::new();
            hb.register_template_string("node", source).unwrap();
            assert!(compile_node_template(&mut hb).is_none(), "{source}");
        }
    }
}
