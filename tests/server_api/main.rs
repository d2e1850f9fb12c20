//! The service over real HTTP on 127.0.0.1 with a real SQLite file (issue 5, acceptance 1).
//!
//! One test binary, split by what the tests exercise: submissions, the consent log after them,
//! the rendered pages, the edge (rate limit, CORS, health) and static assets.
#![cfg(feature = "server")]

#[path = "../server_support/mod.rs"]
mod support;

use std::process::Command;
use support::{demo_policy, hidden_value, signup, TestServer};

mod assets;
mod consent_log;
mod edge;
mod pages;
mod submit;
