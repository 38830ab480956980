//! The commands a CI pipeline runs besides `check` and `build`: `fmt`, `diff` and `init`.

use crate::cli::{self, FOUND, OK};
use salespath::diag::{self, HumanOptions};
use salespath::diff::{self, DiffFormat};
use salespath::init::Template;
use salespath::load::{Checked, Input};
use salespath::source::{SourceFile, SourceMap};
use std::path::PathBuf;

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

pub fn fmt(args: FmtArgs) -> u8 {
    let inputs = match cli::inputs(&args.paths) {
        Ok(i) if i.is_empty() => return cli::fail("no `.sales` files to format"),
        Ok(i) => i,
        Err(e) => return cli::fail(e),
    };
    // Deeply nested input is refused by the parser, but only after it has recursed.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            inputs
                .iter()
                .map(|input| fmt_one(input, args.check))
                .max()
                .unwrap_or(OK)
        })
        .and_then(|t| {
            t.join()
                .map_err(|_| std::io::Error::other("the formatter stopped"))
        })
        .unwrap_or_else(cli::fail)
}

fn fmt_one(input: &Input, check: bool) -> u8 {
    let (name, bytes) = match input {
        Input::Path(path) => match std::fs::read(path) {
            Ok(bytes) => (path.display().to_string(), bytes),
            Err(e) => return cli::fail(format!("cannot read `{}`: {e}", path.display())),
        },
        Input::Text { name, text, .. } => (name.clone(), text.clone()),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("error: `{name}` is not valid UTF-8 text; it was left as it is");
        return FOUND;
    };
    let formatted = match salespath::fmt::format_source(&text) {
        Ok(formatted) => formatted,
        Err(diagnostics) => {
            let mut sources = SourceMap::default();
            sources.add(SourceFile::new(name.clone(), text));
            let pairs: Vec<_> = diagnostics.iter().map(|d| (d, &sources)).collect();
            eprint!("{}", diag::render_human(&pairs, HumanOptions::default()));
            eprintln!("error: `{name}` has a syntax error; it was left as it is");
            return FOUND;
        }
    };
    let changed = formatted != text;
    match input {
        _ if check => {
            if changed {
                println!("{name}");
                return FOUND;
            }
        }
        Input::Text { .. } => print!("{formatted}"),
        Input::Path(path) if changed => {
            if let Err(e) = crate::build::write_atomically(path, formatted.as_bytes()) {
                return cli::fail(format!("cannot write `{name}`: {e}"));
            }
        }
        Input::Path(_) => {}
    }
    OK
}

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
    #[command(flatten)]
    pub front: cli::FrontArgs,
}

pub fn diff(args: DiffArgs) -> u8 {
    let config = match cli::config() {
        Ok(c) => c,
        Err(e) => return cli::fail(e),
    };
    let mut models = Vec::new();
    for arg in [&args.old, &args.new] {
        let input = match diff::resolve_input(arg) {
            Ok(input) => input,
            Err(e) => return cli::fail(e),
        };
        let checked = match salespath::load::check_input(&input, &config, &args.front.options()) {
            Ok(c) => c,
            Err(e) => return cli::fail(e),
        };
        match clean_model(checked, arg) {
            Ok(checked) => models.push(checked),
            Err(code) => return code,
        }
    }
    let (old, new) = (&models[0], &models[1]);
    let changes = diff::diff(
        old.model.as_ref().expect("checked"),
        new.model.as_ref().expect("checked"),
    );
    print!(
        "{}",
        diff::render(&changes, args.format, &args.old, &args.new)
    );
    let breaking = changes.iter().any(|c| c.breaking);
    if breaking && !args.allow_breaking {
        FOUND
    } else {
        OK
    }
}

/// A checked file with a model and no errors; otherwise its diagnostics and exit code 2.
fn clean_model(checked: Checked, arg: &str) -> Result<Checked, u8> {
    if checked.model.is_some() && !checked.has_errors() {
        return Ok(checked);
    }
    let pairs: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == diag::Severity::Error)
        .map(|d| (d, &checked.sources))
        .collect();
    eprint!("{}", diag::render_human(&pairs, HumanOptions::default()));
    Err(cli::fail(format!(
        "`{arg}` has errors (shown above); fix them before comparing"
    )))
}

#[derive(clap::Args)]
pub struct InitArgs {
    /// The file to create
    #[arg(default_value = "process.sales")]
    pub file: PathBuf,
    /// The kind of sale to start from
    #[arg(long, value_enum, default_value = "consultative")]
    pub template: Template,
}

pub fn init(args: InitArgs) -> u8 {
    let path = &args.file;
    if path.exists() {
        return cli::fail(format!(
            "`{}` already exists; choose another file name or remove it first",
            path.display()
        ));
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) => return cli::fail(format!("cannot create `{}`: {e}", path.display())),
    };
    if let Err(e) = std::io::Write::write_all(&mut file, args.template.text().as_bytes()) {
        return cli::fail(format!("cannot write `{}`: {e}", path.display()));
    }
    println!(
        "wrote {} (a {} process); try `salespath check {}`",
        path.display(),
        args.template.name(),
        path.display()
    );
    OK
}
