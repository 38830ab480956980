//! `salespath diff`: what a change between two versions of a process file means for deals
//! in flight and for the CRM.

use super::front::{self, FrontArgs};
use super::outcome::{CliError, Outcome};
use super::report;
use salespath::audit::impact;
use salespath::crm::Destination;
use salespath::diag::Severity;
use salespath::diff::{self, DiffFormat};
use salespath::session::{Checked, Session};

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old version: a file, or `REV:path` for a file at a git revision (`main:x.sales`)
    pub old: String,
    /// The new version, in the same forms
    pub new: String,
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiffFormat,
    /// Exit 0 even with breaking changes (they are still reported)
    #[arg(long)]
    pub allow_breaking: bool,
    /// Judge changes for these destinations only: salesforce, hubspot, pipedrive, model
    /// (default: those `build.emit` in salespath.yaml writes, else every one)
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = destination)]
    pub crm: Vec<Destination>,
    /// A deals file: add the open deals each change touches (DEALS.md section 8)
    #[arg(long, value_name = "FILE")]
    pub deals: Option<String>,
    /// A stage history, for when deals entered their stage
    #[arg(long, value_name = "FILE")]
    pub history: Option<String>,
    /// The time deals are weighed at (default: the latest date in the data)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub front: FrontArgs,
}

pub fn run(args: DiffArgs) -> Result<Outcome, CliError> {
    let config = front::config()?;
    let data = config.data.clone();
    let to = destinations(&args.crm, config.build.emit.as_deref());
    // One session per side: an imported file may differ between the two.
    let mut runs = Vec::new();
    for arg in [&args.old, &args.new] {
        let mut session = Session::new(config.clone(), args.front.options());
        let input = diff::resolve_input(arg).map_err(CliError::DiffInput)?;
        for file in diff::revision_files(arg).map_err(CliError::DiffInput)? {
            session.add_import_text(&file.path, file.name, file.text);
        }
        let root = session.add(input)?;
        runs.push((session.check(), root));
    }
    let mut models = Vec::new();
    for ((run, file), arg) in runs.iter().zip([&args.old, &args.new]) {
        let checked = run.file(*file).expect("every named file is checked");
        models.push(clean_model(checked, arg)?);
    }
    let changes = diff::diff_for(models[0], models[1], &to);
    let mut text = diff::render(&changes, args.format, &args.old, &args.new, &to);
    if args.deals.is_some() || args.history.is_some() {
        let impacts = impact::for_diff(
            models[0],
            models[1],
            args.history.as_deref(),
            args.deals.as_deref(),
            args.as_of.as_deref(),
            &data,
        )
        .map_err(|e| CliError::Audit(salespath::audit::AuditError::Data(e)))?;
        text = impact::append(text, &impacts, args.format);
    }
    print!("{text}");
    let breaking = changes.iter().any(|c| c.breaking);
    Ok(if breaking && !args.allow_breaking {
        Outcome::Found
    } else {
        Outcome::Clean
    })
}

/// The destinations to judge changes for: `--crm`, else those the build writes.
fn destinations(named: &[Destination], emit: Option<&[String]>) -> Vec<Destination> {
    if named.is_empty() {
        let to = match emit {
            Some(backends) => Destination::of_backends(backends),
            None => Destination::ALL.to_vec(),
        };
        // A build that writes for no CRM is still judged for the model it describes.
        return if to.is_empty() {
            vec![Destination::Model]
        } else {
            to
        };
    }
    let mut to = named.to_vec();
    to.sort();
    to.dedup();
    to
}

fn destination(name: &str) -> Result<Destination, String> {
    Destination::from_key(name).ok_or_else(|| {
        format!("`{name}` is not a destination: use salesforce, hubspot, pipedrive or model")
    })
}

/// The model of a side that checks without errors; otherwise its errors are shown.
fn clean_model<'c>(
    checked: &'c Checked,
    arg: &str,
) -> Result<&'c salespath::model::Model, CliError> {
    match &checked.model {
        Some(model) if !checked.has_errors() => Ok(model),
        _ => {
            let errors: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            eprint!("{}", report::human(&errors, &checked.sources));
            Err(CliError::DiffHasErrors(arg.to_string()))
        }
    }
}
