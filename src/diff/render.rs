//! Showing a diff to people (`human`), to programs (`json`) and on a pull request (`markdown`).

use super::{tally, Change};
use crate::value::plural;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    /// A pull-request comment: a summary, a table and a "Breaking" section
    Markdown,
}

pub fn render(changes: &[Change], format: DiffFormat, old: &str, new: &str) -> String {
    match format {
        DiffFormat::Human => human(changes),
        DiffFormat::Json => json(changes),
        DiffFormat::Markdown => markdown(changes, old, new),
    }
}

fn counts(changes: &[Change]) -> String {
    let (breaking, safe) = tally(changes);
    format!(
        "{}, {}",
        plural(breaking, "breaking change"),
        plural(safe, "safe change")
    )
}

/// Where a change is: `process / stage`, `field x`, or nothing for criteria.
fn place(change: &Change) -> String {
    match (&change.process, &change.stage, &change.field) {
        (Some(p), Some(s), _) => format!("{p} / {s}"),
        (Some(p), None, _) => p.clone(),
        (None, _, Some(f)) => format!("field {f}"),
        _ => String::new(),
    }
}

fn human(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes\n".into();
    }
    let mut out = String::new();
    for c in changes {
        let class = if c.breaking { "breaking" } else { "safe" };
        out.push_str(&format!("{class:<9} {}", c.message));
        if c.breaking {
            out.push_str(&format!(" ({})", c.kind.why()));
        }
        out.push('\n');
    }
    out.push_str(&format!("\n{}\n", counts(changes)));
    out
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    changes: &'a [Change],
    breaking: usize,
    safe: usize,
}

fn json(changes: &[Change]) -> String {
    let (breaking, safe) = tally(changes);
    let report = JsonDiff {
        changes,
        breaking,
        safe,
    };
    let mut text = serde_json::to_string_pretty(&report).expect("a diff serializes");
    text.push('\n');
    text
}

fn markdown(changes: &[Change], old: &str, new: &str) -> String {
    let mut out = String::from("## salespath: process changes\n\n");
    out.push_str(&format!("Comparing `{}` with `{}`: ", code(old), code(new)));
    if changes.is_empty() {
        out.push_str("no changes to the process model.\n");
        return out;
    }
    let (breaking, _) = tally(changes);
    if breaking > 0 {
        out.push_str(&format!("**{}**.\n\n", counts(changes)));
    } else {
        out.push_str(&format!("{}.\n\n", counts(changes)));
    }
    out.push_str("| | Change | Where | Details |\n|---|---|---|---|\n");
    for c in changes {
        let class = if c.breaking {
            "⚠️ breaking"
        } else {
            "safe"
        };
        out.push_str(&format!(
            "| {class} | `{}` | {} | {} |\n",
            c.kind.as_str(),
            cell(&place(c)),
            cell(&c.message)
        ));
    }
    if breaking > 0 {
        out.push_str("\n### Breaking\n\n");
        for c in changes.iter().filter(|c| c.breaking) {
            out.push_str(&format!("- {}: {}\n", cell(&c.message), c.kind.why()));
        }
        out.push_str(
            "\nMove or update the affected deals and CRM data before this change is deployed.\n",
        );
    }
    out
}

/// Text safe inside a table cell: no line breaks, pipes or HTML.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\r', '\n'], " ")
}

/// Text safe inside a code span.
fn code(text: &str) -> String {
    text.replace('`', "'")
}
