//! The report: what every output format shows, and the JSON shape of DEALS.md section 7.

use serde::Serialize;
use std::collections::BTreeMap;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub format_version: u32,
    pub process: String,
    pub process_label: String,
    /// RFC 3339 in UTC; null when the data holds no date at all.
    pub as_of: Option<String>,
    pub rows: Rows,
    pub kpis: Kpis,
    pub stages: Vec<StageFigures>,
    /// The `--by` key of `groups`, if any.
    pub by: Option<String>,
    pub groups: Vec<Group>,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Rows {
    pub read: u64,
    pub used: u64,
    pub left_out: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Kpis {
    pub deals: u64,
    pub open: u64,
    pub won: u64,
    pub lost: u64,
    pub win_rate: Option<f64>,
    pub average_deal_size: Option<f64>,
    pub cycle_days: Option<f64>,
    pub cycle_days_median: Option<f64>,
    pub sales_velocity: Option<f64>,
    pub open_amount: Option<f64>,
    pub weighted_pipeline: Option<f64>,
    pub forecast: Forecast,
    pub coverage: Option<f64>,
}

/// Open amount per forecast category of the deals' current stages.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Forecast {
    pub pipeline: Option<f64>,
    pub best_case: Option<f64>,
    pub commit: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StageFigures {
    pub id: String,
    pub label: String,
    /// "won", "lost" or null for an open stage.
    pub outcome: Option<&'static str>,
    pub probability: Option<f64>,
    pub expected_days: Option<f64>,
    pub stale_after_days: Option<f64>,
    pub entered: u64,
    pub reached: u64,
    pub advanced: Option<u64>,
    pub dropped: Option<u64>,
    pub still_open: Option<u64>,
    pub conversion: Option<f64>,
    pub won_after: u64,
    pub lost_here: Option<u64>,
    pub days_median: Option<f64>,
    pub days_p90: Option<f64>,
    pub days_mean: Option<f64>,
    pub visits: u64,
    pub over_expected: Option<u64>,
    pub stale_now: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub by: String,
    pub value: String,
    pub kpis: Kpis,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: &'static str,
    pub count: u64,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    pub examples: Vec<Example>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Example {
    pub deal: Option<String>,
    pub line: u32,
    /// "history" or "deals": which file the line is in (shown to people).
    #[serde(skip)]
    pub file: &'static str,
    /// Why a bad row was left out (shown to people).
    #[serde(skip)]
    pub reason: Option<&'static str>,
}

impl Report {
    /// True when a finding of severity error (or a warning, if `deny_warnings`) was found.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == "error" || (deny_warnings && f.severity == "warning"))
    }
}
