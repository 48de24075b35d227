//! runbook: compile a Korean Markdown install guide into a plan, per-node shell runbooks, a static
//! site and an Ansible playbook.
//!
//! The work is done by three crates, one layer each, that this one puts together:
//! `runbook-core` (the model and what every stage shares), `runbook-compile` (load → parse →
//! extract → plan → fleet → check) and `runbook-render` (every output, as a renderer of the
//! compiled guide). This crate is the application: the one build path, `serve`, `secrets`, the
//! command line.

pub mod build;
pub mod commands;
pub mod report;
pub mod secrets;
pub mod serve;

pub use runbook_compile::{check, compile, doctor, extract, fleet, load, parse, plan, runtext};
pub use runbook_core::source::Compiled;
pub use runbook_core::{config, diag, model, output, timings};
pub use runbook_render as render;
