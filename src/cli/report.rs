//! Printing diagnostics for people (with colour on a terminal) and machines.

use salespath::diag::{self, Diagnostic, HumanOptions};
use salespath::source::SourceMap;
use salespath::value::plural;
use std::io::{IsTerminal, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request
    Github,
}

fn pairs<'a>(
    diagnostics: &[&'a Diagnostic],
    sources: &'a SourceMap,
) -> Vec<(&'a Diagnostic, &'a SourceMap)> {
    diagnostics.iter().map(|d| (*d, sources)).collect()
}

/// Diagnostics in `format` on standard output; the human form ends with a summary line.
pub fn print(diagnostics: &[&Diagnostic], sources: &SourceMap, format: Format, files: usize) {
    let all = pairs(diagnostics, sources);
    let text = match format {
        Format::Json => diag::render_json(&all),
        Format::Sarif => diag::render_sarif(&all),
        Format::Github => diag::render_github(&all),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let width = if color { terminal_width() } else { 100 };
            let mut text = diag::render_human(&all, HumanOptions { color, width });
            text.push_str(&summary(files, diagnostics));
            text
        }
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Diagnostics for people, without colour or summary (what `build`, `fmt` and `diff` show).
pub fn human(diagnostics: &[&Diagnostic], sources: &SourceMap) -> String {
    diag::render_human(&pairs(diagnostics, sources), HumanOptions::default())
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn summary(files: usize, diagnostics: &[&Diagnostic]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == diag::Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
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
