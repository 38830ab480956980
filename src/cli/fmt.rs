//! `salespath fmt`: rewrite files in the canonical layout, or list those that would change.

use super::outcome::{CliError, Outcome};
use super::report;
use salespath::config::Config;
use salespath::session::build::{write_atomically, WriteError};
use salespath::session::{Input, Options, Session};

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Files or folders (every `*.sales` below them); `-` formats standard input to standard
    /// output
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<String>,
    /// Change nothing: list the files that would change, and exit 1 if there are any
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: FmtArgs) -> Result<Outcome, CliError> {
    let inputs = salespath::session::from_args(&args.paths)?;
    let mut session = Session::new(Config::default(), Options::default());
    let mut on_disk = Vec::new();
    for input in inputs {
        let path = match &input {
            Input::Path(path) => Some(path.clone()),
            Input::Text { .. } => None,
        };
        on_disk.push((session.add(input)?, path));
    }
    let formatted = session.format();
    let sources = &formatted.sources;
    let mut outcome = Outcome::Clean;
    for file in &formatted.files {
        let name = &sources.get(file.file).name;
        let path = on_disk
            .iter()
            .find(|(id, _)| *id == file.file)
            .and_then(|(_, path)| path.as_ref());
        let text = match &file.result {
            Ok(text) => text,
            Err(diagnostics) => {
                let shown: Vec<_> = diagnostics.iter().collect();
                eprint!("{}", report::human(&shown, sources));
                eprintln!("error: `{name}` cannot be formatted; it was left as it is");
                outcome = Outcome::Found;
                continue;
            }
        };
        let changed = file.changed(sources);
        match path {
            _ if args.check => {
                if changed {
                    println!("{name}");
                    outcome = Outcome::Found;
                }
            }
            None => print!("{text}"),
            Some(path) if changed => {
                write_atomically(path, text.as_bytes()).map_err(|error| WriteError {
                    path: path.clone(),
                    error,
                })?;
            }
            Some(_) => {}
        }
    }
    Ok(outcome)
}
