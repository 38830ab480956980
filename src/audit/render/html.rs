//! The report as one self-contained HTML page (no scripts, no network): KPI tiles, the three
//! charts, the stage table, the groups and the findings. Made to be put on a screen in a
//! meeting, and readable on a phone.

use super::{charts, days, example_text, money, or_dash, percent, rows_text};
use crate::audit::report::Report;
use crate::emit::html::escape;
use std::fmt::Write;

const STYLE: &str = r#"
:root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bar: #2f6fdf; --p90: #a9c4f5;
  --won: #1f9d55; --lost: #d64545; --warn: #b7791f; --bg: #f7f9fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--bg); }
main { max-width: 1200px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 32px 0 12px; }
.sub { color: var(--muted); margin: 0 0 20px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; }
.tile { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.tile .k { color: var(--muted); font-size: .85rem; }
.tile .v { font-size: 1.5rem; font-weight: 650; }
.charts { margin-top: 16px; display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 480px), 1fr)); gap: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px; min-width: 0; }
.card h2 { margin-top: 0; }
svg.chart { display: block; height: auto; }
svg .axis { font-size: 16px; fill: var(--ink); }
svg .value { font-size: 15px; fill: var(--muted); }
svg .bar { fill: var(--bar); }
svg .p90 { fill: var(--p90); }
svg .won { fill: var(--won); }
svg .lost { fill: var(--lost); }
svg .expected { stroke: var(--won); stroke-width: 3; stroke-dasharray: 4 3; }
svg .stale { stroke: var(--lost); stroke-width: 3; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th.text, td.text { text-align: left; white-space: normal; }
.sev { font-weight: 650; text-transform: uppercase; font-size: .75rem; }
.error { color: var(--lost); } .warning { color: var(--warn); } .info { color: var(--bar); }
@media (max-width: 600px) { main { padding: 16px 12px 32px; } th, td { white-space: normal; padding: 6px 5px; } }
ul.examples { margin: 4px 0 0; padding-left: 18px; color: var(--muted); font-size: .85rem; }
"#;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let as_of = report.as_of.as_deref().map_or("unknown", |a| &a[..10]);
    let title = format!("Audit of {} as of {as_of}", report.process_label);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        out,
        "<p class=\"sub\">Process <code>{}</code> · rows {}</p>",
        escape(&report.process),
        escape(&rows_text(report))
    );

    let k = &report.kpis;
    out.push_str("<section class=\"tiles\">\n");
    let tiles = [
        ("Deals", k.deals.to_string()),
        ("Open", k.open.to_string()),
        ("Won", k.won.to_string()),
        ("Lost", k.lost.to_string()),
        ("Win rate", or_dash(k.win_rate, percent)),
        ("Average deal size", or_dash(k.average_deal_size, money)),
        ("Sales cycle (days)", or_dash(k.cycle_days, days)),
        ("Sales velocity / day", or_dash(k.sales_velocity, money)),
        ("Open amount", or_dash(k.open_amount, money)),
        ("Weighted pipeline", or_dash(k.weighted_pipeline, money)),
        ("Commit", or_dash(k.forecast.commit, money)),
        ("Coverage", or_dash(k.coverage, percent)),
    ];
    for (name, value) in tiles {
        let _ = writeln!(
            out,
            "<div class=\"tile\"><div class=\"k\">{}</div><div class=\"v\">{}</div></div>",
            escape(name),
            escape(&value)
        );
    }
    out.push_str("</section>\n<section class=\"charts\">\n");
    for (title, svg) in [
        ("Funnel", charts::funnel(report)),
        ("Time in stage", charts::time_in_stage(report)),
        ("Where deals are lost", charts::where_lost(report)),
    ] {
        let _ = writeln!(
            out,
            "<div class=\"card\"><h2>{}</h2>{svg}</div>",
            escape(title)
        );
    }
    out.push_str("</section>\n");

    out.push_str("<h2>Stages</h2>\n<div class=\"scroll\"><table>\n<tr><th>Stage</th><th>Reached</th><th>Entered</th><th>Advanced</th><th>Dropped</th><th>Conversion</th><th>Lost here</th><th>Median days</th><th>p90 days</th><th>Over expected</th><th>Stale now</th></tr>\n");
    for s in &report.stages {
        let count = |v: Option<u64>| or_dash(v, |n| n.to_string());
        let cells = [
            s.label.clone(),
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
        ];
        table_row(&mut out, &cells);
    }
    out.push_str("</table></div>\n");

    if !report.groups.is_empty() {
        let by = report.by.as_deref().unwrap_or("");
        let _ = writeln!(
            out,
            "<h2>By {}</h2>\n<div class=\"scroll\"><table>",
            escape(by)
        );
        let _ = writeln!(out, "<tr><th>{}</th><th>Deals</th><th>Open</th><th>Won</th><th>Lost</th><th>Win rate</th><th>Average size</th><th>Cycle days</th><th>Open amount</th></tr>", escape(by));
        for g in &report.groups {
            let k = &g.kpis;
            let cells = [
                g.value.clone(),
                k.deals.to_string(),
                k.open.to_string(),
                k.won.to_string(),
                k.lost.to_string(),
                or_dash(k.win_rate, percent),
                or_dash(k.average_deal_size, money),
                or_dash(k.cycle_days, days),
                or_dash(k.open_amount, money),
            ];
            table_row(&mut out, &cells);
        }
        out.push_str("</table></div>\n");
    }

    out.push_str("<h2>Findings</h2>\n");
    if report.findings.is_empty() {
        out.push_str("<p>None: the deals moved as the process says.</p>\n");
    } else {
        out.push_str("<div class=\"scroll\"><table>\n<tr><th>Severity</th><th class=\"text\">Rule</th><th>Count</th><th class=\"text\">Finding</th></tr>\n");
        for f in &report.findings {
            let _ = write!(
                out,
                "<tr><td class=\"sev {0}\">{0}</td><td class=\"text\">{1}</td><td>{2}</td><td class=\"text\">{3}",
                escape(f.severity),
                escape(f.rule),
                f.count,
                escape(&f.message)
            );
            if !f.examples.is_empty() {
                out.push_str("<ul class=\"examples\">");
                for e in &f.examples {
                    let _ = write!(out, "<li>{}</li>", escape(&example_text(e)));
                }
                out.push_str("</ul>");
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</table></div>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn table_row(out: &mut String, cells: &[String]) {
    out.push_str("<tr>");
    for cell in cells {
        let _ = write!(out, "<td>{}</td>", escape(cell));
    }
    out.push_str("</tr>\n");
}
