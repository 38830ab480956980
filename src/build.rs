//! The `build` command: check, run the backends in memory, then write every file atomically.

use crate::cli::{self, FrontArgs, FOUND, OK};
use salespath::diag::{self, Diagnostic, HumanOptions, Severity};
use salespath::emit::{self, Backend, EmitError, Project, Unit};
use salespath::source::SourceMap;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    #[command(flatten)]
    pub front: FrontArgs,
}

pub fn build(args: BuildArgs) -> u8 {
    if args.list {
        for backend in emit::BACKENDS {
            println!("{:<14} {}", backend.name, backend.summary);
        }
        return OK;
    }
    let config = match cli::config() {
        Ok(c) => c,
        Err(e) => return cli::fail(e),
    };
    let requested = args
        .emit
        .clone()
        .or_else(|| config.build.emit.clone())
        .unwrap_or_else(|| vec!["all".into()]);
    let (backends, explicit) = match select(&requested) {
        Ok(b) => b,
        Err(e) => return cli::fail(e),
    };
    let out_dir = args
        .out
        .clone()
        .or_else(|| config.build.out.clone())
        .unwrap_or_else(|| PathBuf::from("out"));

    let inputs = match cli::inputs(&args.paths) {
        Ok(i) if i.is_empty() => return cli::fail("no `.sales` files to build"),
        Ok(i) => i,
        Err(e) => return cli::fail(e),
    };
    let mut checked = Vec::new();
    for result in cli::check_all(&inputs, &config, &args.front.options()) {
        match result {
            Ok(c) => checked.push(c),
            Err(e) => return cli::fail(e),
        }
    }
    let (errors, _) = report_if_any(&checked);
    if errors > 0 {
        eprintln!("build stopped: fix the errors above; nothing was written");
        return FOUND;
    }

    let project = Project {
        units: checked
            .iter()
            .filter_map(|c| {
                let model = c.model.as_ref()?;
                let processes = c.own_processes();
                Some(Unit {
                    model,
                    sources: &c.sources,
                    processes,
                })
            })
            .collect(),
    };

    // Generate everything in memory first, so a failing backend writes nothing at all.
    let mut files: BTreeMap<String, (Vec<u8>, &str)> = BTreeMap::new();
    let mut warnings: Vec<(Diagnostic, &SourceMap)> = Vec::new();
    for backend in &backends {
        match emit::run(backend, &project) {
            Ok(emitted) => {
                for (path, bytes) in emitted.files {
                    if let Some((_, other)) = files.get(&path) {
                        return cli::fail(format!(
                            "two outputs would both be written to `{path}` (by `{other}` and `{}`); give the processes different ids",
                            backend.name
                        ));
                    }
                    files.insert(path, (bytes, backend.name));
                }
                for d in config.apply(emitted.diagnostics) {
                    if let Some(sources) = project.sources_for(d.loc.file) {
                        warnings.push((d, sources));
                    }
                }
            }
            Err(EmitError::Tool(why)) => {
                return cli::fail(format!("`{}` could not be made: {why}", backend.name));
            }
            Err(EmitError::Graphviz(why)) => {
                if explicit.contains(&backend.name) {
                    return cli::fail(format!(
                        "`{}` needs Graphviz: {why}. Install Graphviz (for example `apt-get install graphviz` or `brew install graphviz`) and try again",
                        backend.name
                    ));
                }
                eprintln!(
                    "note: skipped `{}`: Graphviz is not installed ({why})",
                    backend.name
                );
            }
            Err(EmitError::Diagnostics(diagnostics)) => {
                let pairs: Vec<(&Diagnostic, &SourceMap)> = diagnostics
                    .iter()
                    .filter_map(|d| Some((d, project.sources_for(d.loc.file)?)))
                    .collect();
                print!("{}", diag::render_human(&pairs, HumanOptions::default()));
                eprintln!(
                    "build stopped: `{}` cannot express this process; nothing was written",
                    backend.name
                );
                return FOUND;
            }
        }
    }
    if !warnings.is_empty() {
        let pairs: Vec<(&Diagnostic, &SourceMap)> = warnings.iter().map(|(d, s)| (d, *s)).collect();
        print!("{}", diag::render_human(&pairs, HumanOptions::default()));
    }

    if args.check {
        return check_outputs(&out_dir, &files);
    }
    let mut stdout = std::io::stdout().lock();
    for (path, (bytes, _)) in &files {
        let target = out_dir.join(path);
        if let Err(e) = write_atomically(&target, bytes) {
            return cli::fail(format!("cannot write `{}`: {e}", target.display()));
        }
        let _ = writeln!(stdout, "wrote {}", target.display());
    }
    if files.is_empty() {
        let _ = writeln!(stdout, "nothing to write");
    }
    OK
}

/// `build --check`: lists every output that is missing from `out_dir` or differs from what
/// the build would write there. Files the build does not produce are not its concern.
fn check_outputs(out_dir: &Path, files: &BTreeMap<String, (Vec<u8>, &str)>) -> u8 {
    let mut stale = 0;
    for (path, (bytes, _)) in files {
        let target = out_dir.join(path);
        let problem = match std::fs::read(&target) {
            Ok(existing) if existing == *bytes => continue,
            Ok(_) => "out of date",
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => "missing",
            Err(e) => return cli::fail(format!("cannot read `{}`: {e}", target.display())),
        };
        println!("{problem}: {}", target.display());
        stale += 1;
    }
    if stale > 0 {
        eprintln!(
            "{stale} of {} outputs differ from the source; run `salespath build` and commit the result",
            files.len()
        );
        FOUND
    } else {
        println!("{} outputs are up to date", files.len());
        OK
    }
}

/// Prints the check's diagnostics when there are any; returns (errors, warnings).
fn report_if_any(checked: &[salespath::load::Checked]) -> (usize, usize) {
    let all = cli::diagnostics_of(checked);
    if !all.is_empty() {
        print!("{}", diag::render_human(&all, HumanOptions::default()));
    }
    let errors = all
        .iter()
        .filter(|(d, _)| d.severity == Severity::Error)
        .count();
    (errors, all.len() - errors)
}

/// The backends for an `--emit` list, and which of them were named explicitly.
fn select(requested: &[String]) -> Result<(Vec<&'static Backend>, Vec<&'static str>), String> {
    let mut chosen: Vec<&'static Backend> = Vec::new();
    let mut explicit = Vec::new();
    for name in requested.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if name == "all" {
            for b in emit::BACKENDS {
                if !chosen.iter().any(|c| c.name == b.name) {
                    chosen.push(b);
                }
            }
            continue;
        }
        let Some(backend) = emit::find(name) else {
            let help = diag::did_you_mean(name, emit::BACKENDS.iter().map(|b| b.name), || {
                "run `salespath build --list` to see every output".into()
            });
            return Err(format!("`{name}` is not an output: {help}"));
        };
        explicit.push(backend.name);
        if !chosen.iter().any(|c| c.name == backend.name) {
            chosen.push(backend);
        }
    }
    if chosen.is_empty() {
        return Err("`--emit` names no outputs".into());
    }
    Ok((chosen, explicit))
}

/// Writes through a temporary file in the same folder, then renames it into place, so a
/// reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    // Temporary files are private (0600); the output is an ordinary readable file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
