//! The report in GitHub Markdown, for a pull request or a wiki. Every value from the data or
//! the process is escaped, so a deal id cannot break a table or inject a link.

use super::{days, example_text, money, or_dash, percent, rows_text};
use crate::audit::report::Report;
use std::fmt::Write;

/// Escapes text for a Markdown table cell or paragraph.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '(' | ')' | '~'
            | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let as_of = report.as_of.as_deref().map_or("unknown", |a| &a[..10]);
    let _ = writeln!(
        out,
        "# Audit of {} as of {as_of}\n",
        escape(&report.process_label)
    );
    let _ = writeln!(
        out,
        "Process `{}`. Rows: {}.\n",
        report.process.replace('`', ""),
        rows_text(report)
    );

    let k = &report.kpis;
    out.push_str("## KPIs\n\n| KPI | value |\n|---|---:|\n");
    let kpis = [
        ("Deals", k.deals.to_string()),
        ("Open", k.open.to_string()),
        ("Won", k.won.to_string()),
        ("Lost", k.lost.to_string()),
        ("Win rate", or_dash(k.win_rate, percent)),
        ("Average deal size", or_dash(k.average_deal_size, money)),
        ("Cycle (days, mean)", or_dash(k.cycle_days, days)),
        ("Cycle (days, median)", or_dash(k.cycle_days_median, days)),
        ("Sales velocity (a day)", or_dash(k.sales_velocity, money)),
        ("Open amount", or_dash(k.open_amount, money)),
        ("Weighted pipeline", or_dash(k.weighted_pipeline, money)),
        ("Forecast: pipeline", or_dash(k.forecast.pipeline, money)),
        ("Forecast: best case", or_dash(k.forecast.best_case, money)),
        ("Forecast: commit", or_dash(k.forecast.commit, money)),
        ("Coverage", or_dash(k.coverage, percent)),
    ];
    for (name, value) in kpis {
        row(&mut out, &[name.to_string(), value]);
    }

    out.push_str("\n## Stages\n\n");
    out.push_str("| Stage | Reached | Entered | Advanced | Dropped | Conversion | Lost here | Median days | p90 days | Over expected | Stale now |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for s in &report.stages {
        let count = |v: Option<u64>| or_dash(v, |n| n.to_string());
        row(
            &mut out,
            &[
                escape(&s.label),
                s.reached.to_string(),
                s.entered.to_string(),
                count(s.advanced),
                count(s.dropped),
                or_dash(s.conversion, percent),
                count(s.lost_here),
                or_dash(s.days_median, days),
                or_dash(s.days_p90, days),
                count(s.over_expected),
                count(s.stale_now),
            ],
        );
    }

    if !report.groups.is_empty() {
        let by = escape(report.by.as_deref().unwrap_or(""));
        let _ = writeln!(out, "\n## By {by}\n");
        let _ = writeln!(out, "| {by} | Deals | Open | Won | Lost | Win rate | Average size | Cycle days | Open amount |");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for g in &report.groups {
            let k = &g.kpis;
            row(
                &mut out,
                &[
                    escape(&g.value),
                    k.deals.to_string(),
                    k.open.to_string(),
                    k.won.to_string(),
                    k.lost.to_string(),
                    or_dash(k.win_rate, percent),
                    or_dash(k.average_deal_size, money),
                    or_dash(k.cycle_days, days),
                    or_dash(k.open_amount, money),
                ],
            );
        }
    }

    out.push_str("\n## Findings\n\n");
    if report.findings.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str("| Severity | Rule | Count | Finding | Examples |\n|---|---|---:|---|---|\n");
        for f in &report.findings {
            let examples: Vec<String> = f
                .examples
                .iter()
                .map(|e| escape(&example_text(e)))
                .collect();
            row(
                &mut out,
                &[
                    f.severity.to_string(),
                    f.rule.to_string(),
                    f.count.to_string(),
                    escape(&f.message),
                    examples.join("<br>"),
                ],
            );
        }
    }
    out
}
