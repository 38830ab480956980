//! `salespath audit`: deal data against a process (the work is in [`salespath::audit`]).

use super::outcome::{CliError, Outcome};
use salespath::audit::command::{self, AuditArgs};

pub fn run(args: AuditArgs) -> Result<Outcome, CliError> {
    match command::run(args).map_err(CliError::Audit)? {
        true => Ok(Outcome::Found),
        false => Ok(Outcome::Clean),
    }
}
