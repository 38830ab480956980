//! The report for people on a terminal: a summary, the stage table, the groups and the
//! findings. Colour only when asked (a terminal without `NO_COLOR`).

use super::{days, example_text, money, or_dash, percent, rows_text};
use crate::audit::report::{Kpis, Report};
use std::fmt::Write;

struct Paint(bool);

impl Paint {
    fn code(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.code("1", text)
    }
    fn severity(&self, severity: &str) -> String {
        let code = match severity {
            "error" => "1;31",
            "warning" => "1;33",
            _ => "1;36",
        };
        self.code(code, severity)
    }
}

pub fn render(report: &Report, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    let as_of = report.as_of.as_deref().map_or("unknown", |a| &a[..10]);
    let _ = writeln!(
        out,
        "{} `{}` ({}) as of {as_of}",
        p.bold("audit of"),
        report.process,
        report.process_label
    );
    let _ = writeln!(out, "rows: {}", rows_text(report));
    out.push('\n');
    kpi_lines(&mut out, &report.kpis);

    out.push('\n');
    let _ = writeln!(out, "{}", p.bold("stages"));
    let header = [
        "stage",
        "reached",
        "entered",
        "advanced",
        "dropped",
        "conv.",
        "lost here",
        "median d",
        "p90 d",
        "over exp.",
        "stale",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for s in &report.stages {
        let count = |v: Option<u64>| or_dash(v, |n| n.to_string());
        rows.push(vec![
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
        ]);
    }
    table(&mut out, &rows);

    if !report.groups.is_empty() {
        out.push('\n');
        let by = report.by.as_deref().unwrap_or("");
        let _ = writeln!(out, "{}", p.bold(&format!("by {by}")));
        let mut rows = vec![[
            by,
            "deals",
            "open",
            "won",
            "lost",
            "win rate",
            "avg size",
            "cycle d",
            "open amount",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
        for g in &report.groups {
            let k = &g.kpis;
            rows.push(vec![
                g.value.clone(),
                k.deals.to_string(),
                k.open.to_string(),
                k.won.to_string(),
                k.lost.to_string(),
                or_dash(k.win_rate, percent),
                or_dash(k.average_deal_size, money),
                or_dash(k.cycle_days, days),
                or_dash(k.open_amount, money),
            ]);
        }
        table(&mut out, &rows);
    }

    out.push('\n');
    if report.findings.is_empty() {
        let _ = writeln!(out, "{}: none", p.bold("findings"));
    } else {
        let _ = writeln!(out, "{}", p.bold("findings"));
        for f in &report.findings {
            let _ = writeln!(out, "{}[{}] {}", p.severity(f.severity), f.rule, f.message);
            for e in &f.examples {
                let _ = writeln!(out, "    {}", example_text(e));
            }
        }
        let count = |s: &str| report.findings.iter().filter(|f| f.severity == s).count();
        let _ = writeln!(
            out,
            "{} findings: {} errors, {} warnings, {} info",
            report.findings.len(),
            count("error"),
            count("warning"),
            count("info")
        );
    }
    out
}

fn kpi_lines(out: &mut String, k: &Kpis) {
    let _ = writeln!(
        out,
        "deals: {} ({} open, {} won, {} lost)",
        k.deals, k.open, k.won, k.lost
    );
    let _ = writeln!(
        out,
        "win rate {} · average deal size {} · cycle {} days (median {})",
        or_dash(k.win_rate, percent),
        or_dash(k.average_deal_size, money),
        or_dash(k.cycle_days, days),
        or_dash(k.cycle_days_median, days)
    );
    let _ = writeln!(
        out,
        "sales velocity {} a day · open amount {} · weighted pipeline {} · coverage {}",
        or_dash(k.sales_velocity, money),
        or_dash(k.open_amount, money),
        or_dash(k.weighted_pipeline, money),
        or_dash(k.coverage, percent)
    );
    let f = &k.forecast;
    let _ = writeln!(
        out,
        "forecast: pipeline {} · best case {} · commit {}",
        or_dash(f.pipeline, money),
        or_dash(f.best_case, money),
        or_dash(f.commit, money)
    );
}

/// Columns padded to their widest cell; the first column left-aligned, numbers right-aligned.
fn table(out: &mut String, rows: &[Vec<String>]) {
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}
