//! `salespath build`: check, build every output in memory, then write them or compare them
//! with what is in the output folder.

use super::front::{self, FrontArgs};
use super::outcome::{CliError, Outcome};
use super::report;
use salespath::emit;
use salespath::session::build::{self, BuildError};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct BuildArgs {
    /// Files or folders (every `*.sales` below them); `-` reads standard input
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<String>,
    /// Comma-separated outputs (`all` for every one); see `salespath build --list`
    #[arg(long, value_delimiter = ',')]
    pub emit: Option<Vec<String>>,
    /// Output folder (default `out`, or `build.out` in salespath.yaml)
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// List the outputs and exit
    #[arg(long)]
    pub list: bool,
    /// Write nothing: compare the outputs with the files in the output folder, list the
    /// missing and stale ones, and exit 1 if there are any
    #[arg(long)]
    pub check: bool,
    /// The warehouse the `sql` and `dbt` outputs are written for
    #[arg(long, value_enum, default_value = "duckdb", value_name = "DIALECT")]
    pub sql_dialect: emit::sql::Dialect,
    /// The relations the `sql` and `dbt` outputs read: `history` (`stage_history`), `deals`
    /// or both (default: the files `data.history` and `data.deals` name in salespath.yaml,
    /// else `history`)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "RELATIONS")]
    pub sql_inputs: Vec<emit::sql::Input>,
    /// Keep running: build again whenever a `.sales` file or salespath.yaml changes (a
    /// broken file keeps the last good outputs and prints its diagnostics)
    #[arg(long, conflicts_with_all = ["check", "list"])]
    pub watch: bool,
    #[command(flatten)]
    pub front: FrontArgs,
}

pub fn run(args: BuildArgs) -> Result<Outcome, CliError> {
    if args.watch {
        return super::watch::run(&args.paths, || once(&args));
    }
    once(&args)
}

/// One build (or `--check`, or `--list`).
fn once(args: &BuildArgs) -> Result<Outcome, CliError> {
    if args.list {
        for backend in emit::BACKENDS {
            println!("{:<14} {}", backend.name, backend.summary);
        }
        return Ok(Outcome::Clean);
    }
    let mut config = front::config()?;
    let inputs = if args.sql_inputs.is_empty() {
        let data = &config.data;
        let named = [
            (data.history.is_some(), emit::sql::Input::History),
            (data.deals.is_some(), emit::sql::Input::Deals),
        ];
        named
            .iter()
            .filter(|(set, _)| *set)
            .map(|(_, i)| *i)
            .collect()
    } else {
        args.sql_inputs.clone()
    };
    emit::sql::configure(emit::sql::Settings {
        dialect: args.sql_dialect,
        inputs: emit::sql::Inputs::of(&inputs),
        data: config.data.clone(),
        levels: config.rules.clone(),
    });
    let requested = args
        .emit
        .clone()
        .or_else(|| config.build.emit.clone())
        .unwrap_or_else(|| vec!["all".into()]);
    // The check reports what the outputs being built cannot hold.
    config.build.emit = Some(requested.clone());
    let selection = build::select(&requested)?;
    let out_dir = args
        .out
        .clone()
        .or_else(|| config.build.out.clone())
        .unwrap_or_else(|| PathBuf::from("out"));

    let run = front::session(config, &args.front, &args.paths)?.check();
    let diagnostics = run.diagnostics();
    if !diagnostics.is_empty() {
        print!("{}", report::human(&diagnostics, &run.sources));
    }
    let outputs = match run.build(&selection) {
        Ok(outputs) => outputs,
        Err(BuildError::Inexpressible {
            backend,
            diagnostics,
        }) => {
            let shown: Vec<_> = diagnostics.iter().collect();
            print!("{}", report::human(&shown, &run.sources));
            return Err(BuildError::Inexpressible {
                backend,
                diagnostics,
            }
            .into());
        }
        Err(e) => return Err(e.into()),
    };
    for (backend, why) in &outputs.skipped {
        eprintln!("note: skipped `{backend}`: Graphviz is not installed ({why})");
    }
    for note in &outputs.notes {
        eprintln!("note: {note}");
    }
    if !outputs.warnings.is_empty() {
        let shown: Vec<_> = outputs.warnings.iter().collect();
        print!("{}", report::human(&shown, &run.sources));
    }

    let mut stdout = std::io::stdout().lock();
    if args.check {
        let stale = build::compare(&out_dir, &outputs)?;
        for (how, path) in &stale {
            let _ = writeln!(stdout, "{}: {}", how.as_str(), path.display());
        }
        if stale.is_empty() {
            let _ = writeln!(stdout, "{} outputs are up to date", outputs.files.len());
            return Ok(Outcome::Clean);
        }
        eprintln!(
            "{} of {} outputs differ from the source; run `salespath build` and commit the result",
            stale.len(),
            outputs.files.len()
        );
        return Ok(Outcome::Found);
    }
    for path in build::write(&out_dir, &outputs)? {
        let _ = writeln!(stdout, "wrote {}", path.display());
    }
    if outputs.files.is_empty() {
        let _ = writeln!(stdout, "nothing to write");
    }
    Ok(Outcome::Clean)
}
