//! The query language of issue 14: one grammar for the `/` prompt, the command
//! line and saved views.
//!
//! - [`parse`]: text → [`parse::Query`] (an AST with byte spans), or a
//!   [`parse::QueryError`] that says what is wrong and where.
//! - [`eval`]: a query over the whole archive → the set of matching ids,
//!   term at a time, cheap terms (tags, dates, marks) as lookups and text
//!   terms behind [`eval::TextSearch`] so an inverted index can answer them.
//! - [`text`]: the folded-word form of text both sides share (article words,
//!   query words, highlighting).

pub mod eval;
pub mod parse;
pub mod text;

pub use parse::{Query, QueryError};
