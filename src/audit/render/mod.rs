//! The report's output formats (DEALS.md section 7).

mod charts;
mod html;
mod human;
mod markdown;

pub use markdown::escape as markdown_escape;

use super::report::Report;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A summary, the stage table and the findings (coloured on a terminal)
    Human,
    Json,
    /// GitHub Markdown, for a pull request or a wiki
    Md,
    /// One self-contained page with the charts as SVG
    Html,
}

impl ReportFormat {
    /// The format a file's extension asks for.
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(ReportFormat::Json),
            "md" | "markdown" => Some(ReportFormat::Md),
            "html" | "htm" => Some(ReportFormat::Html),
            _ => None,
        }
    }
}

pub fn render(report: &Report, format: ReportFormat, color: bool) -> String {
    match format {
        ReportFormat::Human => human::render(report, color),
        ReportFormat::Json => json(report),
        ReportFormat::Md => markdown::render(report),
        ReportFormat::Html => html::render(report),
    }
}

pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report serialises");
    text.push('\n');
    text
}

/// `1234567.8` as `1,234,568`.
pub fn money(v: f64) -> String {
    let rounded = v.round();
    let negative = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if negative {
        format!("-{out}")
    } else {
        out
    }
}

/// A share as a percentage with one decimal: `63.2%`.
pub fn percent(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// Days with one decimal.
pub fn days(v: f64) -> String {
    format!("{v:.1}")
}

/// An optional figure, or a dash.
pub fn or_dash<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or_else(|| "–".to_string(), f)
}

/// How a finding's example reads: `history line 12: D-1 (no deal id)`.
pub fn example_text(e: &super::report::Example) -> String {
    let deal = e
        .deal
        .as_deref()
        .map_or(String::new(), |d| format!(": {d}"));
    let reason = e.reason.map_or(String::new(), |r| format!(" ({r})"));
    format!("{} line {}{deal}{reason}", e.file, e.line)
}

/// The rows line: `1,000 read, 990 used, 10 left out (bad-row 4, unknown-stage 6)`.
pub fn rows_text(report: &Report) -> String {
    let rows = &report.rows;
    let left: u64 = rows.left_out.values().sum();
    let mut text = format!(
        "{} read, {} used, {} left out",
        money(rows.read as f64),
        money(rows.used as f64),
        money(left as f64)
    );
    if left > 0 {
        let reasons: Vec<String> = rows
            .left_out
            .iter()
            .map(|(k, v)| format!("{k} {}", money(*v as f64)))
            .collect();
        text.push_str(&format!(" ({})", reasons.join(", ")));
    }
    text
}
