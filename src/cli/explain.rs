//! `salespath explain`: what a rule checks and why, or every rule with its default severity.

use super::outcome::{CliError, Outcome};
use salespath::audit::rules as audit;
use salespath::diag;
use salespath::rule::Rule;

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The rule's name, such as `dead-end`
    pub rule: Option<String>,
}

pub fn run(args: ExplainArgs) -> Result<Outcome, CliError> {
    let Some(name) = args.rule else {
        print!("{}{}", Rule::table(), audit::table());
        return Ok(Outcome::Clean);
    };
    match Rule::from_name(&name) {
        Some(rule) => {
            print!("{}", rule.explain());
            Ok(Outcome::Clean)
        }
        None if audit::find(&name).is_some() => {
            print!(
                "{}",
                audit::explain_text(audit::find(&name).expect("found"))
            );
            Ok(Outcome::Clean)
        }
        None => {
            let names = Rule::names().chain(audit::RULES.iter().map(|r| r.name));
            let help = diag::did_you_mean(&name, names, || {
                "run `salespath explain` to list every rule".into()
            });
            Err(CliError::UnknownRule { name, help })
        }
    }
}
