//! `salespath init`: a commented starter process.

use super::outcome::{CliError, Outcome};
use salespath::init::Template;
use salespath::value::indefinite;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct InitArgs {
    /// The file to create
    #[arg(default_value = "process.sales")]
    pub file: PathBuf,
    /// The kind of sale to start from
    #[arg(long, value_enum, default_value = "consultative")]
    pub template: Template,
}

pub fn run(args: InitArgs) -> Result<Outcome, CliError> {
    let path = &args.file;
    if path.exists() {
        return Err(CliError::Exists(path.clone()));
    }
    let create = |error| CliError::Create {
        path: path.clone(),
        error,
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(create)?;
    file.write_all(args.template.text().as_bytes())
        .map_err(create)?;
    println!(
        "wrote {} ({} process); try `salespath check {}`",
        path.display(),
        indefinite(args.template.name()),
        path.display()
    );
    Ok(Outcome::Clean)
}
