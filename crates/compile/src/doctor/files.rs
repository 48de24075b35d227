//! `file-before-created` (RB005): the author reads a file on a node before the step that
//! writes it there — `. admin-openrc` on the compute node when only the controller wrote it,
//! `kubectl apply -f calico.yaml` before the download, `ln -s` to a file written later. The
//! runbook stops at that step.
//!
//! Only files some step of the guide creates are judged: a file no step writes comes from a
//! package or the system. A file copied to a node (`scp F host:…`) is created there, and an
//! archive extracted or a folder copied creates what lies under it.

use super::commands::Simple;
use super::config_order::config_name;
use super::hosts::node_of_host;
use super::paths::{base, norm, same};
use super::software::owns;
use super::{Ctx, Finding};
use runbook_core::model::Kind;
use std::collections::HashMap;

/// A file a step creates, on which nodes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Made {
    pub path: String,
    /// Also everything under `path` (a folder copied, an archive extracted into it).
    pub tree: bool,
    /// The nodes it is made on; empty: the step's own nodes.
    pub nodes: Vec<String>,
}

/// A file a step reads, and how (`source`, `ln -s`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Read {
    pub path: String,
    pub how: &'static str,
}

/// The command index at which each creation and use happens, to order them within a step.
type At<T> = (usize, T);

/// The files a step's commands create and read, in command order.
pub(crate) fn effects(
    ctx: &Ctx,
    kind_path: Option<&str>,
    cmds: &[Simple],
) -> (Vec<At<Made>>, Vec<At<Read>>) {
    let mut made = Vec::new();
    let mut read = Vec::new();
    if let Some(p) = kind_path.and_then(norm) {
        made.push((0, local(p, false)));
    }
    for (k, c) in cmds.iter().enumerate() {
        let mut m = Vec::new();
        let mut r = Vec::new();
        creates(ctx, c, &mut m);
        reads(c, &mut r);
        made.extend(m.into_iter().map(|x| (k, x)));
        read.extend(r.into_iter().map(|x| (k, x)));
    }
    (made, read)
}

fn local(path: String, tree: bool) -> Made {
    Made {
        path,
        tree,
        nodes: Vec::new(),
    }
}

/// Options of copy commands that take a value.
const COPY_OPTS: &[&str] = &["-m", "-o", "-g", "-t", "-P", "-i", "-e", "-S"];

/// What a command creates.
fn creates(ctx: &Ctx, c: &Simple, out: &mut Vec<Made>) {
    let mut here: Vec<Made> = Vec::new();
    let mut add = |p: &str, tree: bool| {
        if let Some(p) = norm(p) {
            here.push(local(p, tree));
        }
    };
    for w in c.written() {
        add(w, false);
    }
    let pos = c.positionals(COPY_OPTS);
    match c.name.as_str() {
        "tee" | "touch" | "mkdir" => pos.iter().for_each(|p| add(p, true)),
        "cp" | "mv" | "install" | "ln" | "rsync" | "scp" => {
            if let Some((dest, srcs)) = pos.split_last() {
                copied(ctx, dest, srcs, out);
            }
        }
        "wget" => match c.opt(&["-O", "--output-document"]) {
            Some(f) => add(f, false),
            None => {
                let dir = c.opt(&["-P", "--directory-prefix"]);
                for u in pos.iter().filter(|u| u.contains("://")) {
                    let name = base(u.split(['?', '#']).next().unwrap_or(u));
                    match dir {
                        Some(d) => add(&format!("{d}/{name}"), false),
                        None => add(name, false),
                    }
                }
            }
        },
        "curl" => curl_output(c, &mut add),
        "ssh-keygen" => {
            let f = c.opt(&["-f"]).map(str::to_string).unwrap_or_else(|| {
                let t = c.opt(&["-t"]).unwrap_or("rsa");
                format!("/root/.ssh/id_{t}")
            });
            add(&f, false);
            add(&format!("{f}.pub"), false);
        }
        "git" if c.arg_is(0, "clone") => {
            let p = c.positionals(&["-b", "--branch", "--depth"]);
            match (p.get(1), p.get(2)) {
                (_, Some(d)) => add(d, true),
                (Some(u), None) => add(base(u).trim_end_matches(".git"), true),
                _ => {}
            }
        }
        "tar" | "unzip" => {
            let d = c.opt(&["-C", "--directory", "-d"]).unwrap_or(".");
            add(d, true);
        }
        _ => {}
    }
    for f in output_options(c) {
        add(f, false);
    }
    out.extend(here);
}

/// Options that read a file (`--config-file F`); any other option whose name speaks of a file
/// or an output writes its value (`--gen-answer-file F`, `-out F`, `--output-dir D`).
const READ_OPTIONS: &[&str] = &[
    "--config-file",
    "--config",
    "--file",
    "--values",
    "--kubeconfig",
];

/// The values of a command's output options.
fn output_options(c: &Simple) -> Vec<&str> {
    let mut out = Vec::new();
    let mut it = c.args.iter().peekable();
    while let Some(a) = it.next() {
        let Some(name) = a.strip_prefix('-') else {
            continue;
        };
        let (opt, inline) = match a.split_once('=') {
            Some((o, v)) => (o, Some(v)),
            None => (a.as_str(), None),
        };
        let words = [
            "file", "out", "dest", "save", "gen", "write", "dump", "export",
        ];
        if READ_OPTIONS.contains(&opt) || !name.starts_with('-') && name.len() <= 2 {
            continue;
        }
        if !words.iter().any(|w| opt.contains(w)) {
            continue;
        }
        match inline {
            Some(v) => out.push(v),
            None => {
                if let Some(v) = it.next_if(|v| !v.starts_with('-')) {
                    out.push(v.as_str());
                }
            }
        }
    }
    out
}

/// `cp SRC… DEST`: DEST and DEST/SRC's name, on the host a `host:path` names.
fn copied(ctx: &Ctx, dest: &str, srcs: &[&str], out: &mut Vec<Made>) {
    let (nodes, dest) = match dest.split_once(':') {
        Some((host, path)) if !host.contains('/') => {
            let host = host.rsplit('@').next().unwrap_or(host);
            let nodes = match node_of_host(ctx, host) {
                Some(n) => vec![n],
                None => ctx.plan.nodes.clone(),
            };
            let path = if path.is_empty() { "~" } else { path };
            (nodes, path)
        }
        _ => (Vec::new(), dest),
    };
    let Some(d) = norm(dest) else {
        return;
    };
    out.push(Made {
        path: d.clone(),
        tree: true,
        nodes: nodes.clone(),
    });
    for s in srcs {
        let s = s.rsplit(':').next().unwrap_or(s);
        if let Some(s) = norm(s) {
            out.push(Made {
                path: format!("{d}/{}", base(&s)),
                tree: true,
                nodes: nodes.clone(),
            });
        }
    }
}

/// `curl -o FILE`, `curl -O URL` (and joined short options: `-fsSLo FILE`, `-LO`).
fn curl_output(c: &Simple, add: &mut dyn FnMut(&str, bool)) {
    let mut remote = false;
    let mut it = c.args.iter().peekable();
    while let Some(a) = it.next() {
        if a == "--output" || (a.starts_with('-') && !a.starts_with("--") && a.ends_with('o')) {
            if let Some(f) = it.next() {
                add(f, false);
            }
        } else if a == "--remote-name"
            || (a.starts_with('-') && !a.starts_with("--") && a.contains('O'))
        {
            remote = true;
        } else if remote && a.contains("://") {
            add(base(a.split(['?', '#']).next().unwrap_or(a)), false);
        }
    }
}

/// What a command needs to exist.
fn reads(c: &Simple, out: &mut Vec<Read>) {
    let mut add = |p: &str, how: &'static str| {
        if let Some(p) = norm(p) {
            out.push(Read { path: p, how });
        }
    };
    for r in c.read() {
        add(r, "<");
    }
    let pos = c.positionals(COPY_OPTS);
    match c.name.as_str() {
        "." | "source" => {
            if let Some(f) = c.args.first() {
                add(f, "source");
            }
        }
        "ln" => {
            if let Some(t) = pos.first().filter(|t| t.starts_with('/') && pos.len() > 1) {
                add(t, "ln -s");
            }
        }
        "cp" | "install" | "mv" => {
            if let Some((_, srcs)) = pos.split_last() {
                srcs.iter().for_each(|s| add(s, "cp"));
            }
        }
        "scp" | "rsync" => {
            if let Some((_, srcs)) = pos.split_last() {
                srcs.iter()
                    .filter(|s| !s.contains(':'))
                    .for_each(|s| add(s, "scp"));
            }
        }
        "bash" | "sh" if !c.piped => {
            if let Some(f) = pos.first() {
                add(f, "bash");
            }
        }
        "chmod" | "chown" => pos.iter().skip(1).for_each(|p| add(p, "chmod")),
        "tar"
            if c.args
                .iter()
                .any(|a| !a.starts_with("--") && a.contains('x')) =>
        {
            if let Some(f) = c.opt(&["-f", "--file"]).or_else(|| tar_file(c)) {
                add(f, "tar");
            }
        }
        "rpm" | "dpkg" | "yum" | "dnf" | "apt" | "apt-get" => pos
            .iter()
            .filter(|p| p.ends_with(".rpm") || p.ends_with(".deb"))
            .filter(|p| !p.contains("://"))
            .for_each(|p| add(p, "install")),
        _ => {}
    }
    for o in READ_OPTIONS {
        if let Some(f) = c.opt(&[o]) {
            add(f, "read");
        }
    }
    if matches!(
        c.name.as_str(),
        "kubectl" | "helm" | "sysctl" | "docker-compose"
    ) {
        if let Some(f) = c.opt(&["-f", "-p"]) {
            add(f, "read");
        }
    }
    if c.word.starts_with("./") || (c.word.starts_with('/') && c.word.ends_with(".sh")) {
        add(&c.word, "run");
    }
}

/// `tar xzf FILE` (options joined without a dash): the argument after the option word.
fn tar_file(c: &Simple) -> Option<&str> {
    let first = c.args.first()?;
    (!first.starts_with('-') && first.contains('f'))
        .then(|| c.args.get(1).map(String::as_str))
        .flatten()
}

/// Whether `m` creates `path`.
fn covers(m: &Made, path: &str) -> bool {
    same(&m.path, path)
        || (m.tree
            && (m.path == "." && !path.starts_with('/')
                || path.starts_with(&format!("{}/", m.path))))
}

pub(crate) fn check<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    let mut made: Vec<(usize, At<Made>)> = Vec::new();
    let mut reads: Vec<(usize, At<Read>)> = Vec::new();
    for (i, s) in ctx.steps.iter().enumerate() {
        let path = matches!(s.kind(), Kind::File | Kind::Ini | Kind::Lines)
            .then(|| s.path())
            .flatten();
        let (m, r) = effects(ctx, path, &ctx.cmds[i]);
        made.extend(m.into_iter().map(|x| (i, x)));
        reads.extend(r.into_iter().map(|x| (i, x)));
    }
    // files by name, and the folders made (which cover what lies under them)
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, (_, (_, m))) in made.iter().enumerate() {
        by_name.entry(base(&m.path)).or_default().push(k);
    }
    let trees: Vec<usize> = (0..made.len()).filter(|&k| made[k].1 .1.tree).collect();
    let on = |j: usize, m: &Made, node: &str| {
        if m.nodes.is_empty() {
            ctx.on(j, node)
        } else {
            m.nodes.iter().any(|n| n == node)
        }
    };
    let mut reported: Vec<(usize, &str)> = Vec::new();
    for (i, (k, r)) in &reads {
        // other steps that create exactly this file (not a folder above it)
        let named = by_name.get(base(&r.path)).map(Vec::as_slice).unwrap_or(&[]);
        let makers: Vec<usize> = named
            .iter()
            .map(|&x| &made[x])
            .filter(|(j, (_, m))| j != i && same(&m.path, &r.path))
            .map(|(j, _)| *j)
            .collect();
        if makers.is_empty() || reported.contains(&(*i, r.path.as_str())) {
            continue;
        }
        // a configuration file the node's packages brought
        let owner = config_name(&r.path);
        let packaged = |node: &str| {
            owner.as_ref().is_some_and(|name| {
                (0..=*i)
                    .any(|j| ctx.on(j, node) && ctx.inst[j].packages.iter().any(|p| owns(name, p)))
            })
        };
        let made_before = |node: &str| {
            named.iter().chain(&trees).any(|&x| {
                let (j, (mk, m)) = &made[x];
                (*j < *i || (*j == *i && mk <= k)) && on(*j, m, node) && covers(m, &r.path)
            })
        };
        let missing: Vec<&String> = ctx.steps[*i]
            .nodes
            .iter()
            .filter(|n| !ctx.reached(*i, n) && !made_before(n) && !packaged(n))
            .collect();
        let Some(node) = missing.first() else {
            continue;
        };
        reported.push((*i, r.path.as_str()));
        let j = makers
            .iter()
            .copied()
            .find(|&j| j > *i && ctx.on(j, node))
            .unwrap_or(makers[0]);
        report(ctx, (*i, j), r, &missing, out);
    }
}

/// The finding for a read at step `i` of a file step `j` creates.
fn report<'p>(
    ctx: &Ctx<'p>,
    (i, j): (usize, usize),
    r: &Read,
    missing: &[&String],
    out: &mut Vec<Finding<'p>>,
) {
    let later = j > i && missing.iter().any(|n| ctx.on(j, n));
    let where_ = if later {
        format!("it is written only later, at {}", ctx.steps[j].source)
    } else {
        format!(
            "it is written on {} at {}",
            ctx.steps[j].nodes.join(", "),
            ctx.steps[j].source
        )
    };
    let nodes: Vec<&str> = missing.iter().map(|n| n.as_str()).collect();
    let f = Finding::new(
        "RB005",
        ctx.steps[i],
        format!(
            "{} {} on {} before any step creates it there ({where_})",
            r.how,
            r.path,
            nodes.join(", ")
        ),
    );
    out.push(f.with(ctx.steps[j]));
}

#[cfg(test)]
mod tests {
    use crate::doctor::tests::{found, plan, step};
    use runbook_core::model::Action;

    #[test]
    fn a_file_sourced_where_it_was_never_written() {
        let mut a = step("a", &["controller"], "");
        a.action = Action::File {
            path: "/root/admin-openrc".into(),
            content: "export OS_USERNAME=admin\n".into(),
        };
        let b = step("b", &["controller"], ". admin-openrc");
        let c = step("c", &["compute"], ". /root/admin-openrc");
        assert_eq!(
            found(&plan(vec![a, b, c])),
            [("RB005".to_string(), 21, vec![1])]
        );
    }

    #[test]
    fn copies_downloads_and_archives_create_files() {
        let a = step(
            "a",
            &["master"],
            "cat > /root/join.sh <<EOF\nkubeadm join\nEOF\nscp /root/join.sh worker:/root/",
        );
        let b = step("b", &["worker"], "bash /root/join.sh");
        let c = step(
            "c",
            &["worker"],
            "wget https://x.org/k.tgz && tar xzf k.tgz -C /opt",
        );
        let d = step("d", &["worker"], "ln -s /opt/k/bin/k /usr/bin/k");
        assert!(found(&plan(vec![a, b, c, d])).is_empty());
    }
}
