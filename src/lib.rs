//! newsdesk: a terminal reader for folders of news articles.
//!
//! The library holds everything but the terminal loop, so tests and benches
//! reach every piece: parsing, loading, filtering, state and rendering.

// Nothing from a file, the terminal or the environment may be unwrapped.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod article;
pub mod bodies;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod fault;
pub mod import;
pub mod keymap;
pub mod layout;
pub mod library;
pub mod links;
pub mod message;
pub mod page;
pub mod query;
pub mod regions;
pub mod search;
pub mod snapshot;
pub mod state;
pub mod tui;
pub mod ui;
pub mod watch;
