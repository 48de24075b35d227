//! The `runbook` command line.

use anyhow::Result;
use clap::{Parser, Subcommand};
use runbook::build::{build, BuildOptions};
use std::path::PathBuf;

// many small allocations across two threads: mimalloc is markedly faster than glibc's malloc
// here. Without transparent huge pages (`no_thp`): each first touch of a huge page zeroes 2 MiB,
// which on a virtual machine costs more than the whole build saves.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "runbook",
    version,
    about = "Compile a Markdown install guide into a site and per-node runbooks"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build plan.json, runbooks, site and ansible into the output folder.
    Build {
        #[arg(long, default_value = "guide")]
        guide: PathBuf,
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// A theme folder overriding the default theme file by file.
        #[arg(long)]
        theme: Option<PathBuf>,
    },
    /// List the steps as a table.
    List {
        #[arg(long, default_value = "guide")]
        guide: PathBuf,
        #[arg(long)]
        node: Option<String>,
        /// Explain one step: the rule behind its kind, nodes and file, and where the guide says it.
        #[arg(long, value_name = "ID")]
        explain: Option<String>,
    },
    /// List the rules of extraction: every way of writing a guide that is understood.
    Rules,
    /// Write a vars file (mode 0600) for every node's runbook: random secrets, config values.
    Secrets {
        #[arg(long, default_value = "guide")]
        guide: PathBuf,
        #[arg(long, default_value = "vars.env")]
        out: PathBuf,
        /// Replace an existing file (default: refuse).
        #[arg(long)]
        force: bool,
    },
    /// Report diagnostics with file:line, and the guide doctor's findings; exit 1 on errors.
    Check {
        #[arg(long, default_value = "guide")]
        guide: PathBuf,
        /// text, json (one object per line, docs/check.schema.json) or github (annotations).
        #[arg(long, value_enum, default_value = "text")]
        format: runbook::report::Format,
    },
    /// Preview the site on 127.0.0.1, rebuilding when the guide changes.
    Serve {
        #[arg(long, default_value = "guide")]
        guide: PathBuf,
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// A theme folder overriding the default theme file by file.
        #[arg(long)]
        theme: Option<PathBuf>,
    },
    /// Site theme tools.
    Theme {
        #[command(subcommand)]
        cmd: ThemeCmd,
    },
}

#[derive(Subcommand)]
enum ThemeCmd {
    /// Write the default theme into DIR, to customise it and build with `--theme DIR`.
    Eject {
        dir: PathBuf,
        /// Overwrite files that already exist.
        #[arg(long)]
        force: bool,
    },
}

fn main() {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    match cli.cmd {
        Cmd::Build { guide, out, theme } => {
            let built = build(&guide, &out, &BuildOptions { theme })?;
            let plan = &built.compiled.plan;
            eprintln!(
                "built {} steps on {} node(s) in {} phase(s) into {}",
                plan.steps.len(),
                plan.nodes.len(),
                plan.phases,
                out.display()
            );
            // the process ends here: freeing the compiled guide piece by piece is wasted time
            std::mem::forget(built);
            Ok(0)
        }
        Cmd::List {
            guide,
            node,
            explain,
        } => {
            let c = runbook::compile(&guide)?;
            let text = match explain {
                Some(id) => runbook::commands::explain(&c, &id)?,
                None => runbook::commands::list(&c.plan, node.as_deref())?,
            };
            print!("{text}");
            Ok(0)
        }
        Cmd::Rules => {
            print!("{}", runbook::commands::rules());
            Ok(0)
        }
        Cmd::Secrets { guide, out, force } => {
            let (n, k) = runbook::secrets::run(&guide, &out, force)?;
            eprintln!(
                "wrote {n} variable(s), {k} secret(s) with fresh random values, to {} (mode 0600)",
                out.display()
            );
            Ok(0)
        }
        Cmd::Check { guide, format } => {
            let c = runbook::compile(&guide)?;
            print!("{}", runbook::report::check(&c, &guide, format));
            // machine formats keep stdout to one kind of line
            if format == runbook::report::Format::Text {
                println!("{}", runbook::report::summary(&c));
            } else {
                eprintln!("{}", runbook::report::summary(&c));
            }
            Ok(if c.diagnostics.errors() > 0 { 1 } else { 0 })
        }
        Cmd::Serve {
            guide,
            out,
            port,
            theme,
        } => {
            runbook::serve::serve(&guide, &out, port, theme.as_deref())?;
            Ok(0)
        }
        Cmd::Theme {
            cmd: ThemeCmd::Eject { dir, force },
        } => {
            for f in runbook::render::site::eject_theme(&dir, force)? {
                eprintln!("wrote {f}");
            }
            Ok(0)
        }
    }
}
