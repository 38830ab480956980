//! `salespath explain`: what a rule checks and why, or every rule with its default severity.

use super::outcome::{CliError, Outcome};
use salespath::diag;
use salespath::rule::Rule;

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The rule's name, such as `dead-end`
    pub rule: Option<String>,
}

pub fn run(args: ExplainArgs) -> Result<Outcome, CliError> {
    let Some(name) = args.rule else {
        print!("{}", Rule::table());
        return Ok(Outcome::Clean);
    };
    match Rule::from_name(&name) {
        Some(rule) => {
            print!("{}", rule.explain());
            Ok(Outcome::Clean)
        }
        None => {
            let help = diag::did_you_mean(&name, Rule::names(), || {
                "run `salespath explain` to list every rule".into()
            });
            Err(CliError::UnknownRule { name, help })
        }
    }
}
