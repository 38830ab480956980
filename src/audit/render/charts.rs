//! The report's charts as inline SVG: the funnel, time in stage against `expected` and
//! `stale_after`, and where deals are lost. Drawn on a fixed 600-wide canvas that scales to
//! the page, so they read the same on a wall screen and on a phone.

use super::{days, percent};
use crate::audit::report::{Report, StageFigures};
use crate::emit::html::escape;
use std::fmt::Write;

const WIDTH: f64 = 600.0;
const LABEL: f64 = 150.0;
const ROW: f64 = 34.0;
const BAR: f64 = 22.0;
const RIGHT: f64 = 200.0;

fn open_svg(out: &mut String, title: &str, rows: usize, extra: f64) {
    let height = rows as f64 * ROW + 16.0 + extra;
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
}

fn label(out: &mut String, y: f64, text: &str) {
    let shown: String = if text.chars().count() > 18 {
        format!("{}…", text.chars().take(17).collect::<String>())
    } else {
        text.to_string()
    };
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="end" class="axis">{}</text>"#,
        LABEL - 10.0,
        y + BAR / 2.0 + 5.0,
        escape(&shown)
    );
}

fn scale(max: f64) -> impl Fn(f64) -> f64 {
    let span = WIDTH - LABEL - RIGHT;
    move |v: f64| if max > 0.0 { v / max * span } else { 0.0 }
}

/// The funnel: deals that reached each open and won stage, with each open stage's conversion.
pub fn funnel(report: &Report) -> String {
    let stages: Vec<&StageFigures> = report
        .stages
        .iter()
        .filter(|s| s.outcome != Some("lost"))
        .collect();
    let max = stages.iter().map(|s| s.reached).max().unwrap_or(0) as f64;
    let x = scale(max);
    let mut out = String::new();
    open_svg(
        &mut out,
        "Funnel: deals that reached each stage",
        stages.len(),
        0.0,
    );
    for (i, s) in stages.iter().enumerate() {
        let y = 8.0 + i as f64 * ROW;
        let w = x(s.reached as f64).max(1.0);
        let class = if s.outcome == Some("won") {
            "won"
        } else {
            "bar"
        };
        label(&mut out, y, &s.label);
        let _ = write!(
            out,
            r#"<rect x="{LABEL}" y="{y:.1}" width="{w:.1}" height="{BAR}" rx="3" class="{class}"/>"#
        );
        let conversion = s
            .conversion
            .map_or(String::new(), |c| format!(" · {} advance", percent(c)));
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="value">{}{}</text>"#,
            LABEL + w + 8.0,
            y + BAR / 2.0 + 5.0,
            s.reached,
            escape(&conversion)
        );
    }
    out.push_str("</svg>");
    out
}

/// Median and 90th-percentile days in each open stage, with ticks at `expected` and
/// `stale_after`.
pub fn time_in_stage(report: &Report) -> String {
    let stages: Vec<&StageFigures> = report
        .stages
        .iter()
        .filter(|s| s.outcome.is_none())
        .collect();
    let max = stages
        .iter()
        .flat_map(|s| {
            [
                s.days_p90,
                s.days_median,
                s.expected_days,
                s.stale_after_days,
            ]
        })
        .flatten()
        .fold(0.0, f64::max);
    let x = scale(max);
    let mut out = String::new();
    open_svg(
        &mut out,
        "Days in stage against expected and stale_after",
        stages.len(),
        26.0,
    );
    for (i, s) in stages.iter().enumerate() {
        let y = 8.0 + i as f64 * ROW;
        label(&mut out, y, &s.label);
        if let Some(p90) = s.days_p90 {
            let _ = write!(
                out,
                r#"<rect x="{LABEL}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" class="p90"/>"#,
                y + 4.0,
                x(p90).max(1.0),
                BAR - 8.0
            );
        }
        if let Some(median) = s.days_median {
            let _ = write!(
                out,
                r#"<rect x="{LABEL}" y="{y:.1}" width="{:.1}" height="{BAR}" rx="3" class="bar"/>"#,
                x(median).max(1.0)
            );
        }
        for (value, class) in [(s.expected_days, "expected"), (s.stale_after_days, "stale")] {
            if let Some(v) = value {
                let _ = write!(
                    out,
                    r#"<line x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{2:.1}" class="{class}"/>"#,
                    LABEL + x(v),
                    y - 3.0,
                    y + BAR + 3.0
                );
            }
        }
        let text = match (s.days_median, s.days_p90) {
            (Some(m), Some(p)) => format!("median {} · p90 {}", days(m), days(p)),
            _ => "no completed visits".to_string(),
        };
        let right = s
            .days_p90
            .into_iter()
            .chain(s.stale_after_days)
            .chain(s.expected_days)
            .fold(0.0, f64::max);
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="value">{}</text>"#,
            LABEL + x(right) + 8.0,
            y + BAR / 2.0 + 5.0,
            escape(&text)
        );
    }
    let y = 8.0 + stages.len() as f64 * ROW + 14.0;
    let _ = write!(
        out,
        r#"<rect x="{LABEL}" y="{:.1}" width="14" height="10" class="bar"/><text x="{:.1}" y="{y:.1}" class="axis">median</text><rect x="{:.1}" y="{:.1}" width="14" height="10" class="p90"/><text x="{:.1}" y="{y:.1}" class="axis">p90</text><line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{y:.1}" class="expected"/><text x="{:.1}" y="{y:.1}" class="axis">expected</text><line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{y:.1}" class="stale"/><text x="{:.1}" y="{y:.1}" class="axis">stale_after</text>"#,
        y - 9.0,
        LABEL + 20.0,
        LABEL + 90.0,
        y - 9.0,
        LABEL + 110.0,
        LABEL + 160.0,
        LABEL + 160.0,
        y - 11.0,
        LABEL + 168.0,
        LABEL + 250.0,
        LABEL + 250.0,
        y - 11.0,
        LABEL + 258.0,
    );
    out.push_str("</svg>");
    out
}

/// Lost deals by the last open stage they were in.
pub fn where_lost(report: &Report) -> String {
    let stages: Vec<&StageFigures> = report
        .stages
        .iter()
        .filter(|s| s.outcome.is_none())
        .collect();
    let total: u64 = stages.iter().filter_map(|s| s.lost_here).sum();
    let max = stages.iter().filter_map(|s| s.lost_here).max().unwrap_or(0) as f64;
    let x = scale(max);
    let mut out = String::new();
    open_svg(&mut out, "Where deals are lost", stages.len(), 0.0);
    if total == 0 {
        // Without a stage history a lost deal's last open stage is unknown.
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="value">no lost deal with a known open stage before it</text></svg>"#,
            WIDTH / 2.0,
            8.0 + stages.len() as f64 * ROW / 2.0
        );
        return out;
    }
    for (i, s) in stages.iter().enumerate() {
        let y = 8.0 + i as f64 * ROW;
        let lost = s.lost_here.unwrap_or(0);
        label(&mut out, y, &s.label);
        let _ = write!(
            out,
            r#"<rect x="{LABEL}" y="{y:.1}" width="{:.1}" height="{BAR}" rx="3" class="lost"/>"#,
            x(lost as f64).max(1.0)
        );
        let share = if total > 0 {
            format!(" · {}", percent(lost as f64 / total as f64))
        } else {
            String::new()
        };
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="value">{lost}{share}</text>"#,
            LABEL + x(lost as f64).max(1.0) + 8.0,
            y + BAR / 2.0 + 5.0,
        );
    }
    out.push_str("</svg>");
    out
}
