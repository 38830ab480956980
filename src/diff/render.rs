//! Showing a diff to people (`human`), to programs (`json`) and on a pull request (`markdown`).

use super::text::code_span;
use super::{tally, Change};
use crate::crm::Destination;
use crate::value::plural;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    /// A pull-request comment: a summary line, breaking changes first, what to do in each CRM
    Markdown,
}

/// The diff in `format`; `to` are the destinations the changes were judged for.
pub fn render(
    changes: &[Change],
    format: DiffFormat,
    old: &str,
    new: &str,
    to: &[Destination],
) -> String {
    match format {
        DiffFormat::Human => human(changes),
        DiffFormat::Json => json(changes, to),
        DiffFormat::Markdown => markdown(changes, old, new, to),
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

/// "breaking in Salesforce and the model" for a change, when some destination breaks.
fn where_breaking(change: &Change) -> Vec<&'static str> {
    change
        .crm
        .0
        .iter()
        .filter(|(_, v)| v.is_breaking())
        .map(|(to, _)| to.name())
        .collect()
}

/// Breaking changes first, each group in the order found.
fn ordered(changes: &[Change]) -> Vec<&Change> {
    let mut list: Vec<&Change> = changes.iter().filter(|c| c.breaking).collect();
    list.extend(changes.iter().filter(|c| !c.breaking));
    list
}

fn human(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes\n".into();
    }
    let mut out = String::new();
    for c in ordered(changes) {
        let class = if c.breaking { "breaking" } else { "safe" };
        out.push_str(&format!("{class:<9} {}\n", c.message));
        if c.breaking {
            for (to, verdict) in &c.crm.0 {
                out.push_str(&format!(
                    "          {} ({}): {}\n",
                    to.name(),
                    verdict.verdict,
                    verdict.effect
                ));
            }
        }
        if let Some(hint) = &c.hint {
            out.push_str(&format!("          hint: {hint}\n"));
        }
    }
    out.push_str(&format!("\n{}\n", counts(changes)));
    out
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    /// The destinations the verdicts are for, by key.
    crms: Vec<&'static str>,
    changes: &'a [Change],
    breaking: usize,
    safe: usize,
}

fn json(changes: &[Change], to: &[Destination]) -> String {
    let (breaking, safe) = tally(changes);
    let report = JsonDiff {
        crms: to.iter().map(|d| d.key()).collect(),
        changes,
        breaking,
        safe,
    };
    let mut text = serde_json::to_string_pretty(&report).expect("a diff serializes");
    text.push('\n');
    text
}

fn markdown(changes: &[Change], old: &str, new: &str, to: &[Destination]) -> String {
    let mut out = String::from("## salespath: process changes\n\n");
    out.push_str(&format!(
        "Comparing {} with {}",
        code_span(old),
        code_span(new)
    ));
    let names: Vec<&str> = to.iter().map(|d| d.name()).collect();
    out.push_str(&format!(" for {}: ", names.join(", ")));
    if changes.is_empty() {
        out.push_str("no changes to the process model.\n");
        return out;
    }
    let (breaking, _) = tally(changes);
    if breaking > 0 {
        let per: Vec<String> = to
            .iter()
            .filter_map(|&d| {
                let n = changes
                    .iter()
                    .filter(|c| c.crm.0.iter().any(|(t, v)| *t == d && v.is_breaking()))
                    .count();
                (n > 0).then(|| format!("{} in {}", n, d.name()))
            })
            .collect();
        out.push_str(&format!(
            "**{}** (breaking: {}).\n",
            counts(changes),
            per.join(", ")
        ));
        out.push_str("\n### ⚠️ Breaking\n\n");
        for c in changes.iter().filter(|c| c.breaking) {
            item(&mut out, c, true);
        }
        out.push_str(
            "\nMove or update the affected deals and CRM data before this change is deployed.\n",
        );
    } else {
        out.push_str(&format!("{}.\n", counts(changes)));
    }
    if breaking < changes.len() {
        out.push_str("\n### Safe\n\n");
        for c in changes.iter().filter(|c| !c.breaking) {
            item(&mut out, c, false);
        }
    }
    out
}

/// One change as a list item; a breaking one with what each destination does.
fn item(out: &mut String, c: &Change, breaking: bool) {
    out.push_str(&format!("- {}", c.text.markdown()));
    if breaking {
        let places = where_breaking(c);
        out.push_str(&format!(" — breaking in {}", places.join(", ")));
    }
    out.push('\n');
    // Every destination for a breaking change; for a safe one, those with something to do.
    for (to, verdict) in c.crm.0.iter().filter(|(_, v)| breaking || !v.quiet) {
        out.push_str(&format!(
            "  - **{}** ({}): {}\n",
            to.name(),
            verdict.verdict,
            crate::emit::markdown::text(&verdict.effect)
        ));
    }
    if let Some(hint) = &c.hint_text {
        out.push_str(&format!("  - 💡 {}\n", hint.markdown()));
    }
}
