//! The command line: clap definitions and the commands, on top of the library.

use clap::{Parser, Subcommand, ValueEnum};
use salespath::config::Config;
use salespath::diag::{self, Diagnostic, HumanOptions, Severity};
use salespath::load::{self, Checked, Input, Options};
use salespath::rule::Rule;
use salespath::source::SourceMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Exit codes: 0 clean, 1 problems found, 2 usage or I/O error.
pub const OK: u8 = 0;
pub const FOUND: u8 = 1;
pub const TROUBLE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "salespath",
    version,
    about = "Sales processes as code: check and build .sales files"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check files for problems (exit 0 clean, 1 errors, 2 usage or I/O error)
    Check(CheckArgs),
    /// Check, then write diagrams, matrices, CRM configuration and playbooks
    Build(crate::build::BuildArgs),
    /// Explain a checker rule, or list every rule
    Explain {
        /// The rule's name, such as `dead-end`
        rule: Option<String>,
    },
    /// Rewrite files in the canonical layout (exit 1 on a syntax error, or with --check when
    /// a file would change)
    Fmt(crate::ci::FmtArgs),
    /// Compare two versions of a process file and classify each change as breaking or safe
    /// (exit 0 no breaking changes, 1 breaking changes, 2 errors)
    Diff(crate::ci::DiffArgs),
    /// Write a commented starter process
    Init(crate::ci::InitArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request
    Github,
}

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

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Build(args) => crate::build::build(args),
        Command::Explain { rule } => explain(rule.as_deref()),
        Command::Fmt(args) => crate::ci::fmt(args),
        Command::Diff(args) => crate::ci::diff(args),
        Command::Init(args) => crate::ci::init(args),
    }
}

pub fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    TROUBLE
}

pub fn config() -> Result<Config, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    Config::discover(&cwd)
}

/// Turns command-line paths into inputs: files as given, folders as every `*.sales` below
/// them (sorted), `-` as standard input.
pub fn inputs(paths: &[String]) -> Result<Vec<Input>, String> {
    let mut inputs = Vec::new();
    for path in paths {
        if path == "-" {
            let mut text = Vec::new();
            std::io::stdin()
                .read_to_end(&mut text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            let base = std::env::current_dir().ok();
            inputs.push(Input::Text {
                name: "<stdin>".into(),
                text,
                base,
            });
            continue;
        }
        let p = Path::new(path);
        if p.is_dir() {
            let mut found = Vec::new();
            collect_sales_files(p, &mut found)
                .map_err(|e| format!("cannot read the folder `{path}`: {e}"))?;
            found.sort();
            inputs.extend(found.into_iter().map(Input::Path));
        } else if p.exists() {
            inputs.push(Input::Path(p.to_path_buf()));
        } else {
            return Err(format!("`{path}` does not exist"));
        }
    }
    Ok(inputs)
}

fn collect_sales_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && entry.file_name() != "target" {
                collect_sales_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "sales") {
            out.push(
                path.strip_prefix("./")
                    .map(Path::to_path_buf)
                    .unwrap_or(path),
            );
        }
    }
    Ok(())
}

/// Checks every input, in parallel on all cores, keeping the inputs' order in the results.
pub fn check_all(
    inputs: &[Input],
    config: &Config,
    options: &Options,
) -> Vec<Result<Checked, String>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<Checked, String>>>> =
        inputs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            std::thread::Builder::new()
                // Generous stack: deeply nested input is refused, but only after parsing.
                .stack_size(256 << 20)
                .spawn_scoped(scope, || loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else { break };
                    let result = load::check_input(input, config, options);
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                })
                .expect("spawn a checker thread");
        }
    });
    results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| Err("internal error: a file was not checked".into()))
        })
        .collect()
}

/// Prints diagnostics for people or machines; returns (errors, warnings).
/// Every diagnostic of a run, once: two checked files that import one file would otherwise
/// both report its problems.
pub fn diagnostics_of(checked: &[Checked]) -> Vec<(&Diagnostic, &SourceMap)> {
    let mut seen = std::collections::HashSet::new();
    checked
        .iter()
        .flat_map(|c| c.diagnostics.iter().map(move |d| (d, &c.sources)))
        .filter(|(d, sources)| {
            let file = &sources.get(d.loc.file).name;
            seen.insert((file.clone(), d.loc.span, d.rule, d.message.clone()))
        })
        .collect()
}

pub fn report(checked: &[Checked], format: Format) -> (usize, usize) {
    let all = diagnostics_of(checked);
    let errors = all
        .iter()
        .filter(|(d, _)| d.severity == Severity::Error)
        .count();
    let warnings = all.len() - errors;
    let mut stdout = std::io::stdout().lock();
    let text = match format {
        Format::Json => diag::render_json(&all),
        Format::Sarif => diag::render_sarif(&all),
        Format::Github => diag::render_github(&all),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let width = if color { terminal_width() } else { 100 };
            let mut text = diag::render_human(&all, HumanOptions { color, width });
            text.push_str(&summary(checked.len(), errors, warnings));
            text
        }
    };
    let _ = stdout.write_all(text.as_bytes());
    (errors, warnings)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary(files: usize, errors: usize, warnings: usize) -> String {
    let checked = plural(files, "file");
    if errors == 0 && warnings == 0 {
        format!("checked {checked}: no problems\n")
    } else {
        format!(
            "checked {checked}: {}, {}\n",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

fn check(args: CheckArgs) -> u8 {
    let config = match config() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let inputs = match inputs(&args.paths) {
        Ok(i) => i,
        Err(e) => return fail(e),
    };
    if inputs.is_empty() {
        return fail(format!(
            "no `.sales` files found in {}",
            args.paths.join(", ")
        ));
    }
    let mut checked = Vec::new();
    for result in check_all(&inputs, &config, &args.front.options()) {
        match result {
            Ok(c) => checked.push(c),
            Err(e) => return fail(e),
        }
    }
    let (errors, warnings) = report(&checked, args.format);
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        FOUND
    } else {
        OK
    }
}

fn explain(rule: Option<&str>) -> u8 {
    let Some(name) = rule else {
        print!("{}", Rule::table());
        return OK;
    };
    match Rule::from_name(name) {
        Some(rule) => {
            print!("{}", rule.explain());
            OK
        }
        None => {
            let help = diag::did_you_mean(name, Rule::names(), || {
                "run `salespath explain` to list every rule".into()
            });
            fail(format!("`{name}` is not a rule: {help}"))
        }
    }
}
