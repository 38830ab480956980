//! `salespath diff OLD NEW --deals FILE --history FILE`: the open deals each change touches
//! (DEALS.md section 8), added to every output of `diff`.

mod common;

use serde_json::{json, Value};

const OLD: &str = "tests/fixtures/audit/funnel.sales";
const NEW: &str = "tests/fixtures/audit/funnel_v2.sales";

fn diff(extra: &[&str]) -> std::process::Output {
    common::salespath()
        .args(["diff", OLD, NEW])
        .args(extra)
        .current_dir(common::root())
        .output()
        .unwrap()
}

const DATA: [&str; 6] = [
    "--deals",
    "tests/fixtures/audit/deals.csv",
    "--history",
    "tests/fixtures/audit/history.csv",
    "--as-of",
    "2023-01-17",
];

/// Open deals: C in propose (400), D in qualify since 01-09 (1000, no size), F in lead (10).
/// The new version removes propose, makes lead require size, qualify stale after 7 days
/// instead of 10, and gives negotiate the exit `size >= 100`.
#[test]
fn the_open_deals_each_change_touches() {
    let output = diff(&[&DATA[..], &["--format", "json"]].concat());
    assert_eq!(output.status.code(), Some(1), "the change is breaking");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["changes"].as_array().unwrap().len() >= 4);
    let impact = &report["impact"][0];
    assert_eq!(impact["process"], "funnel");
    assert_eq!(impact["open_deals"], 3);
    assert_eq!(
        impact["removed_stages"],
        json!([{"stage": "propose", "to": "negotiate", "deals": 1, "examples": ["C"]}])
    );
    assert_eq!(
        impact["newly_missing_required"],
        json!([{"stage": "qualify", "field": "size", "deals": 1, "examples": ["D"]}])
    );
    assert_eq!(
        impact["newly_failing_exit"],
        json!([{"stage": "negotiate", "deals": 1, "examples": ["C"]}])
    );
    assert_eq!(
        impact["newly_stale"],
        json!([{"stage": "qualify", "deals": 1, "examples": ["D"]}])
    );
    assert_eq!(
        impact["weighted_pipeline_before"],
        json!(400.0 * 0.6 + 1000.0 * 0.3 + 10.0 * 0.1)
    );
    assert_eq!(
        impact["weighted_pipeline_after"],
        json!(400.0 * 0.8 + 1000.0 * 0.3 + 10.0 * 0.1)
    );

    // Later, D was stale under the old limit too: not newly stale.
    let later = diff(&[
        "--history",
        "tests/fixtures/audit/history.csv",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&later.stdout).unwrap();
    assert_eq!(report["impact"][0]["newly_stale"], json!([]));
}

#[test]
fn every_output_carries_it_and_without_data_nothing_changes() {
    let human = String::from_utf8(diff(&DATA).stdout).unwrap();
    assert!(human.contains("open deals of `funnel`: 3"), "{human}");
    assert!(
        human.contains("`propose` (removed): 1 deal would go to `negotiate` (e.g. C)"),
        "{human}"
    );
    assert!(
        human.contains("weighted pipeline 541 before, 621 after"),
        "{human}"
    );
    let markdown =
        String::from_utf8(diff(&[&DATA[..], &["--format", "markdown"]].concat()).stdout).unwrap();
    assert!(
        markdown.contains("### Open deals of `funnel` (3)"),
        "{markdown}"
    );

    let plain = diff(&[]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("open deals"));
    let plain_json: Value = serde_json::from_slice(&diff(&["--format", "json"]).stdout).unwrap();
    assert!(plain_json.get("impact").is_none());

    let missing = diff(&["--deals", "nowhere.csv"]);
    assert_eq!(missing.status.code(), Some(2));
}
