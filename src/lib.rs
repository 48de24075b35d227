//! runbook: compile a Korean Markdown install guide into a plan, per-node shell runbooks, a static
//! site and an Ansible playbook.
//!
//! Pipeline (one module each): [`load`] → [`parse`] → [`extract`] → [`plan`] → [`render`].

pub mod build;
pub mod check;
pub mod config;
pub mod diag;
pub mod extract;
pub mod fleet;
pub mod html;
pub mod load;
pub mod model;
pub mod outdir;
pub mod parse;
pub mod plan;
pub mod render;
pub mod runtext;
pub mod secrets;
pub mod serve;
pub mod timings;

pub use build::{compile, Compiled};
