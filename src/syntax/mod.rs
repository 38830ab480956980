//! The front end: pest grammar, syntax errors, and lowering into the syntax tree.

pub mod ast;
mod error;
mod literal;
mod lower;

pub use literal::{block_lines, parse_string, unindent};

use crate::diag::Diagnostic;
use crate::source::FileId;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/salespath.pest"]
pub struct SalesParser;

/// Words that cannot name anything.
pub const RESERVED: [&str; 9] = [
    "and", "or", "not", "in", "is", "set", "true", "false", "any",
];

/// Parses one file. Any syntax diagnostic means the tree is not to be checked further.
pub fn parse_file(file: FileId, text: &str) -> Result<ast::File, Vec<Diagnostic>> {
    let pairs =
        SalesParser::parse(Rule::file, text).map_err(|e| vec![error::from_pest(file, text, &e)])?;
    lower::lower_file(file, pairs)
}

/// Parses `text` with one grammar rule, requiring all input to be consumed (for tests and tools).
pub fn parses_as(rule: Rule, text: &str) -> bool {
    match SalesParser::parse(rule, text) {
        Ok(mut pairs) => pairs.next().is_some_and(|p| p.as_str().len() == text.len()),
        Err(_) => false,
    }
}
