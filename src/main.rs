mod cli;

use clap::Parser;
use std::process::ExitCode;

/// Exit codes: 0 clean, 1 problems found, 2 usage or I/O error (clap exits with 2 on usage
/// errors by itself).
fn main() -> ExitCode {
    let code = match cli::run(cli::Cli::parse()) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            eprintln!("error: {error}");
            error.exit_code()
        }
    };
    ExitCode::from(code)
}
