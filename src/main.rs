mod build;
mod ci;
mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap exits with 2 on usage errors by itself.
    let cli = cli::Cli::parse();
    ExitCode::from(cli::run(cli))
}
