//! Render stage: every renderer consumes the same [`crate::model::Plan`].

pub mod ansible;
pub mod plan_json;
pub mod runbook;
pub mod site;
