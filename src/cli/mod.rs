//! The command line: one thin file per command over the library's session
//! ([`salespath::session`]). Commands share only [`front`], [`report`] and [`outcome`]; none
//! imports another, and this file only dispatches.

mod audit;
mod build;
mod check;
mod diff;
mod explain;
mod fmt;
mod front;
mod init;
mod lsp;
mod outcome;
mod report;
mod watch;

pub use outcome::{CliError, Outcome};

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "salespath",
    version,
    about = "Sales processes as code: check and build .sales files"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check files for problems (exit 0 clean, 1 errors, 2 usage or I/O error)
    Check(check::CheckArgs),
    /// Check, then write diagrams, matrices, CRM configuration and playbooks
    Build(build::BuildArgs),
    /// Explain a checker rule, or list every rule
    Explain(explain::ExplainArgs),
    /// Rewrite files in the canonical layout (exit 1 on a syntax error, or with --check when
    /// a file would change)
    Fmt(fmt::FmtArgs),
    /// Compare two versions of a process file and classify each change as breaking or safe
    /// (exit 0 no breaking changes, 1 breaking changes, 2 errors)
    Diff(diff::DiffArgs),
    /// Write a commented starter process
    Init(init::InitArgs),
    /// Audit deal data (a stage history and/or a deals file) against a process: funnel KPIs
    /// and findings (exit 0 report made, 1 a finding of severity error, 2 usage or I/O error)
    Audit(salespath::audit::command::AuditArgs),
    /// Run the language server on standard input and output, for editors
    Lsp(lsp::LspArgs),
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Init(args) => init::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Lsp(args) => lsp::run(args),
    }
}
