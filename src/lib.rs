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
pub mod exit;
pub mod fault;
pub mod format;
pub mod gazetteer;
pub mod geo_tree;
pub mod handover;
pub mod import;
pub mod index;
pub mod key;
pub mod keymap;
pub mod layout;
pub mod library;
pub mod line_edit;
pub mod links;
pub mod map_geometry;
pub mod message;
pub mod name;
pub mod page;
pub mod panics;
pub mod paths;
pub mod query;
pub mod regions;
pub mod search;
pub mod shared_str;
pub mod snapshot;
pub mod sort;
pub mod state;
pub mod theme;
pub mod timeline;
pub mod trace;
pub mod tui;
pub mod ui;
pub mod views;
pub mod watch;
