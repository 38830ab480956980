//! `salespath lsp`: the language server, for editors (see docs/editors.md).

use super::outcome::{CliError, Outcome};

#[derive(clap::Args)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; editors pass it)
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: LspArgs) -> Result<Outcome, CliError> {
    salespath::lsp::run_stdio().map_err(CliError::Server)?;
    Ok(Outcome::Clean)
}
