//! salespath: sales processes as code.
//!
//! The pipeline: [`syntax::parse_file`] turns text into a syntax tree, [`model::resolve`]
//! turns trees into the typed model, [`check::check`] proves it sound, and the backends in
//! [`emit`] turn the model into files. A [`session::Session`] runs it for one run of any
//! command: the one entry point for the command line, tests, benchmarks and editors.

pub mod audit;
pub mod check;
pub mod config;
pub mod crm;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod fmt;
pub mod init;
pub mod lsp;
pub mod model;
pub mod rule;
pub mod session;
pub mod source;
pub mod syntax;
pub mod value;
