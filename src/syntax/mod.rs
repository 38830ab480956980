//! The front end: pest grammar, syntax errors, and lowering into the syntax tree.

pub mod ast;
mod error;
mod hints;
mod literal;
mod lower;
mod scan;

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

/// Syntax errors reported per file: past these, the file is more noise than mistakes (and each
/// retry costs the parser a scan of the line it stopped on).
const MAX_SYNTAX_ERRORS: usize = 50;

/// Parses one file. Any syntax diagnostic means the tree is not to be checked further.
///
/// After a syntax error, parsing resumes at the next declaration or stage, so that every
/// mistake in the file is reported, each once.
pub fn parse_file(file: FileId, text: &str) -> Result<ast::File, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let tokens = std::cell::OnceCell::new();
    let mut blocks_state: Option<scan::Blocks<'_>> = None;
    let (mut start, mut rule) = (0, Rule::file);
    loop {
        match SalesParser::parse(rule, &text[start..]) {
            Ok(pairs) => {
                let (tree, errors) = lower::lower(file, start, pairs);
                diagnostics.extend(errors);
                if diagnostics.is_empty() {
                    return Ok(tree);
                }
                return Err(diagnostics);
            }
            Err(e) => {
                let tokens = tokens.get_or_init(|| scan::tokens(text));
                let blocks = blocks_state.get_or_insert_with(|| scan::Blocks::new(text, tokens));
                let (diagnostic, at) = error::from_pest(file, text, start, &e, blocks);
                diagnostics.push(diagnostic);
                if diagnostics.len() == MAX_SYNTAX_ERRORS {
                    return Err(diagnostics);
                }
                match scan::resume_point(text, tokens, at, start) {
                    Some(scan::Resume::TopLevel(next)) => {
                        blocks.resume(next, false);
                        (start, rule) = (next, Rule::file);
                    }
                    Some(scan::Resume::Stage(next)) => {
                        blocks.resume(next, true);
                        (start, rule) = (next, Rule::process_rest);
                    }
                    None => return Err(diagnostics),
                }
            }
        }
    }
}

/// Parses `text` with one grammar rule, requiring all input to be consumed (for tests and tools).
pub fn parses_as(rule: Rule, text: &str) -> bool {
    match SalesParser::parse(rule, text) {
        Ok(mut pairs) => pairs.next().is_some_and(|p| p.as_str().len() == text.len()),
        Err(_) => false,
    }
}
