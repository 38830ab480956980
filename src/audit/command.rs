//! The `salespath audit` command: arguments, configuration, the process, the inputs, and the
//! report written to standard output or atomically to a file. The CLI turns its result into
//! the exit code: 0 report made, 1 a finding of severity error (or a warning with
//! `--deny-warnings`) or a process with errors, 2 usage, I/O or mapping error.

use super::config::Preset;
use super::dates::DateParser;
use super::render::{self, ReportFormat};
use super::{Request, Source, Window};
use crate::config::{Config, ConfigError};
use crate::diag::{self, HumanOptions, Severity};
use crate::model::ProcessId;
use crate::session::build::write_atomically;
use crate::session::{check_one, Checked, Input, Options, SessionError};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// The process file the deals are audited against
    #[arg(value_name = "PROCESS.sales")]
    pub file: PathBuf,
    /// The process to audit against, when the file builds more than one
    #[arg(long, value_name = "ID")]
    pub process: Option<String>,
    /// Stage history: one row per stage entry or change (`-` reads standard input)
    #[arg(long, value_name = "FILE")]
    pub history: Option<String>,
    /// Deals: one row per deal, with its current stage, amount, owner and field values
    #[arg(long, value_name = "FILE")]
    pub deals: Option<String>,
    /// The time the report is made at (default: the latest date in the data)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Keep deals created on or after this date
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Keep deals created on or before this date
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Repeat the KPIs per `owner`, `segment`, field id or deals-file column
    #[arg(long, value_name = "KEY")]
    pub by: Option<String>,
    /// The sales target, for pipeline coverage
    #[arg(long, value_name = "AMOUNT")]
    pub target: Option<f64>,
    /// Column names of a CRM's export
    #[arg(long, value_enum)]
    pub preset: Option<Preset>,
    /// Output format (default: from the `-o` file's extension, else human)
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to this file (atomically) instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How many example deals each finding lists
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub examples: usize,
    /// Exit 1 when there are warnings, too
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Why an audit could not be made (exit 2).
#[derive(Debug)]
pub enum AuditError {
    Config(ConfigError),
    Session(SessionError),
    /// The process file does not exist.
    NoProcessFile(PathBuf),
    /// Which process to audit cannot be told: `--process` names none of the file's, or the
    /// file has none or several.
    Process(String),
    /// A flag's value cannot be used: a date that is not one, both inputs on standard input.
    Usage(String),
    Read {
        path: String,
        error: std::io::Error,
    },
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The data does not fit its mapping: a missing column, an unreadable date format.
    Data(String),
}

impl std::fmt::Display for AuditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditError::Config(e) => write!(f, "{e}"),
            AuditError::Session(e) => write!(f, "{e}"),
            AuditError::NoProcessFile(path) => write!(f, "`{}` does not exist", path.display()),
            AuditError::Process(why) | AuditError::Usage(why) | AuditError::Data(why) => {
                write!(f, "{why}")
            }
            AuditError::Read { path, error } => write!(f, "cannot read `{path}`: {error}"),
            AuditError::Write { path, error } => {
                write!(f, "cannot write `{}`: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for AuditError {}

/// Runs the command: `Ok(true)` when the report has a finding that fails the run (exit 1),
/// `Err` for a usage, I/O or mapping error (exit 2).
pub fn run(args: AuditArgs) -> Result<bool, AuditError> {
    let args = &args;
    let config = discover_config(&args.file)?;
    if !args.file.is_file() {
        return Err(AuditError::NoProcessFile(args.file.clone()));
    }
    let checked = check_one(
        &Input::Path(args.file.clone()),
        &config,
        &Options::default(),
    )
    .map_err(AuditError::Session)?;
    if checked.has_errors() || checked.model.is_none() {
        print_errors(&checked);
        eprintln!("audit stopped: fix the errors in the process file first");
        return Ok(true);
    }
    let model = checked.model.as_ref().expect("checked above");
    let process = &model.processes[pick_process(&checked, args.process.as_deref())
        .map_err(AuditError::Process)?
        .0];

    let data = &config.data;
    let base = config
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let history = input_path(args.history.as_deref(), data.history.as_ref(), &base);
    let deals = input_path(args.deals.as_deref(), data.deals.as_ref(), &base);
    if history.as_deref() == Some("-") && deals.as_deref() == Some("-") {
        return Err(AuditError::Usage(
            "only one of `--history` and `--deals` can read standard input".into(),
        ));
    }
    let dates = DateParser::new(data.timezone.as_deref(), data.date_format.as_deref())
        .map_err(AuditError::Data)?;
    let date = |flag: &str, text: &Option<String>| -> Result<Option<i64>, AuditError> {
        text.as_deref()
            .map(|t| {
                dates.parse(t.trim()).ok_or_else(|| {
                    AuditError::Usage(format!("`--{flag} {t}` is not a date (write `2023-02-07` or `2023-02-07T20:47:49Z`)"))
                })
            })
            .transpose()
    };
    let until = date("until", &args.until)?.map(|t| {
        // Inclusive: a date alone keeps its whole day.
        if args.until.as_deref().is_some_and(|u| u.trim().len() == 10) {
            t + 86_400
        } else {
            t + 1
        }
    });
    let window = Window {
        as_of: date("as-of", &args.as_of)?,
        since: date("since", &args.since)?,
        until,
        by: args.by.clone(),
        target: args.target.or(data.target),
    };
    let report = super::audit(Request {
        model,
        process,
        history: history.as_deref().map(open).transpose()?,
        deals: deals.as_deref().map(open).transpose()?,
        data,
        preset: args.preset.or(data.preset).unwrap_or_default(),
        window,
        examples: args.examples,
        levels: &config.rules,
    })
    .map_err(AuditError::Data)?;

    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(ReportFormat::from_path))
        .unwrap_or(ReportFormat::Human);
    let color = args.output.is_none()
        && format == ReportFormat::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let bytes = render::render(&report, format, color);
    match &args.output {
        Some(path) => {
            write_atomically(path, bytes.as_bytes()).map_err(|error| AuditError::Write {
                path: path.clone(),
                error,
            })?
        }
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(bytes.as_bytes());
        }
    }
    Ok(report.fails(args.deny_warnings))
}

/// `salespath.yaml` beside the process file or in a parent folder, else from the current
/// folder up, so an example folder carries its own mapping.
fn discover_config(file: &Path) -> Result<Config, AuditError> {
    let folder = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let from_file = Config::discover(folder).map_err(AuditError::Config)?;
    if from_file.path.is_some() {
        return Ok(from_file);
    }
    let cwd =
        std::env::current_dir().map_err(|e| AuditError::Config(ConfigError::CurrentDir(e)))?;
    Config::discover(&cwd).map_err(AuditError::Config)
}

fn print_errors(checked: &Checked) {
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d, &*checked.sources))
        .collect();
    eprint!("{}", diag::render_human(&errors, HumanOptions::default()));
}

fn pick_process(checked: &Checked, wanted: Option<&str>) -> Result<ProcessId, String> {
    let model = checked.model.as_ref().expect("a model");
    if let Some(id) = wanted {
        return model
            .processes
            .iter()
            .position(|p| p.id == id)
            .map(ProcessId)
            .ok_or_else(|| {
                let help =
                    diag::did_you_mean(id, model.processes.iter().map(|p| p.id.as_str()), || {
                        "`--process` takes a process id of the file".into()
                    });
                format!("`{}` has no process `{id}`: {help}", checked.root_name())
            });
    }
    match checked.own_processes().as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("`{}` declares no process", checked.root_name())),
        many => {
            let ids: Vec<String> = many
                .iter()
                .map(|p| format!("`{}`", model.process(*p).id))
                .collect();
            Err(format!(
                "`{}` builds {} processes; pick one with `--process`: {}",
                checked.root_name(),
                many.len(),
                ids.join(", ")
            ))
        }
    }
}

/// A flag's path as given; a configured one relative to `salespath.yaml`.
fn input_path(flag: Option<&str>, configured: Option<&PathBuf>, base: &Path) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| configured.map(|p| base.join(p).display().to_string()))
}

fn open(path: &str) -> Result<Source, AuditError> {
    if path == "-" {
        return Ok(Source {
            name: "<stdin>".into(),
            reader: Box::new(std::io::stdin()),
        });
    }
    let file = std::fs::File::open(path).map_err(|error| AuditError::Read {
        path: path.to_string(),
        error,
    })?;
    Ok(Source {
        name: path.to_string(),
        reader: Box::new(std::io::BufReader::with_capacity(1 << 16, file)),
    })
}
