//! `salespath check`: report every problem in the named files.

use super::front::{self, FrontArgs};
use super::outcome::{CliError, Outcome};
use super::report::{self, Format};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or folders (every `*.sales` below them); `-` reads standard input
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<String>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Exit 1 when there are warnings, too
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub front: FrontArgs,
}

pub fn run(args: CheckArgs) -> Result<Outcome, CliError> {
    let session = front::session(front::config()?, &args.front, &args.paths)?;
    let run = session.check();
    let diagnostics = run.diagnostics();
    report::print(&diagnostics, &run.sources, args.format, run.checked.len());
    let (errors, warnings) = run.counts();
    Ok(if errors > 0 || (args.deny_warnings && warnings > 0) {
        Outcome::Found
    } else {
        Outcome::Clean
    })
}
