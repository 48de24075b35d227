//! The core every stage and renderer shares: the plain serde model of a compiled guide, the
//! guide's sources, diagnostics, stable hashes, bash quoting, shell and Markdown reading
//! conventions, links, the output folder, and stage timings. It depends on no other part of
//! runbook.

pub mod config;
pub mod diag;
pub mod hash;
pub mod html;
pub mod links;
pub mod markdown;
pub mod model;
pub mod net;
pub mod output;
pub mod quote;
pub mod shell;
pub mod slug;
pub mod source;
pub mod timings;
