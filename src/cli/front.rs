//! What every command that reads `.sales` files shares: the project configuration and a
//! session over the files named on the command line.

use super::outcome::CliError;
use salespath::config::Config;
use salespath::session::{Options, Session};

#[derive(clap::Args, Clone)]
pub struct FrontArgs {
    /// Let imports read files outside the folder of the file being checked
    #[arg(long)]
    pub allow_outside: bool,
}

impl FrontArgs {
    pub fn options(&self) -> Options {
        Options {
            allow_outside: self.allow_outside,
        }
    }
}

/// `salespath.yaml` from the current folder or a parent, or the defaults.
pub fn config() -> Result<Config, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::Config(salespath::config::ConfigError::CurrentDir(e)))?;
    Config::discover(&cwd).map_err(CliError::Config)
}

/// A session over command-line paths.
pub fn session(config: Config, front: &FrontArgs, paths: &[String]) -> Result<Session, CliError> {
    let mut session = Session::new(config, front.options());
    session.add_args(paths)?;
    Ok(session)
}
