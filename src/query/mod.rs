//! The query language of issue 14: one grammar for the `/` prompt, the command
//! line and saved views.
//!
//! - [`syntax`]: the tree a query is ([`syntax::Query`]), built in code or
//!   parsed, and how it reads back (as query text, in words).
//! - [`parse`]: text → [`parse::Query`] (an AST with byte spans), or a
//!   [`parse::QueryError`] that says what is wrong and where.
//! - [`error`]: what can be wrong with a query text, and where.
//! - [`eval`]: a query over the whole archive → the set of matching ids,
//!   term at a time, cheap terms (tags, dates, marks) as lookups and text
//!   terms behind [`eval::TextSearch`] so an inverted index can answer them.
//! - [`text`]: the folded-word form of text both sides share (article words,
//!   query words, highlighting).

pub mod error;
pub mod eval;
mod lex;
pub mod parse;
pub mod syntax;
pub mod text;

pub use parse::{Query, QueryError};
