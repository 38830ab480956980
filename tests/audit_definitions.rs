//! Every KPI, per-stage figure and finding of DEALS.md sections 4 to 6, on a hand-made
//! history whose answers are worked out in the comments, and on generated histories whose
//! generator counts the answers itself.

mod common;

use salespath::audit::report::{Finding, Report, StageFigures};
use salespath::audit::synth::{write_history, Synth};
use salespath::audit::{self, DataConfig, Encoding, Preset, Request, Source, Window};
use salespath::config::{Config, Level};
use salespath::model::Model;
use std::collections::BTreeMap;

fn fixture(name: &str) -> std::path::PathBuf {
    common::root().join("tests/fixtures/audit").join(name)
}

fn model() -> Model {
    common::check_clean(&fixture("funnel.sales")).model.unwrap()
}

fn enterprise() -> Model {
    common::check_clean(&common::root().join("examples/enterprise.sales"))
        .model
        .unwrap()
}

fn source(name: &str, bytes: &[u8]) -> Source {
    Source {
        name: name.into(),
        reader: Box::new(std::io::Cursor::new(bytes.to_vec())),
    }
}

struct Run<'a> {
    model: &'a Model,
    history: Option<Vec<u8>>,
    deals: Option<Vec<u8>>,
    data: DataConfig,
    window: Window,
    levels: BTreeMap<String, Level>,
    preset: Preset,
}

impl<'a> Run<'a> {
    fn new(model: &'a Model) -> Self {
        Run {
            model,
            history: None,
            deals: None,
            data: DataConfig::default(),
            window: Window::default(),
            levels: BTreeMap::new(),
            preset: Preset::Generic,
        }
    }
    fn history(mut self, text: impl AsRef<[u8]>) -> Self {
        self.history = Some(text.as_ref().to_vec());
        self
    }
    fn deals(mut self, text: impl AsRef<[u8]>) -> Self {
        self.deals = Some(text.as_ref().to_vec());
        self
    }
    fn try_run(&self) -> Result<Report, String> {
        audit::audit(Request {
            model: self.model,
            process: &self.model.processes[0],
            history: self.history.as_deref().map(|b| source("history.csv", b)),
            deals: self.deals.as_deref().map(|b| source("deals.csv", b)),
            data: &self.data,
            preset: self.preset,
            window: self.window.clone(),
            examples: 5,
            levels: &self.levels,
        })
    }
    fn run(&self) -> Report {
        self.try_run().expect("an audit")
    }
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn stage<'r>(report: &'r Report, id: &str) -> &'r StageFigures {
    report.stages.iter().find(|s| s.id == id).unwrap()
}

fn findings<'r>(report: &'r Report, rule: &str) -> Vec<&'r Finding> {
    report.findings.iter().filter(|f| f.rule == rule).collect()
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a figure");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// The hand-made history (tests/fixtures/audit/history.csv), deal by deal:
/// A lead 2d, qualify 4d, propose 1d, negotiate 3d, won on day 10 with 250.
/// B lead 1d, qualify 10d, lost. C lead 1d, skips to propose (re-saved at 400), open.
/// D enters at qualify on 01-09 with 1000, open 11 days at the as-of date 01-20.
/// E lead 2d (probability 25, not 10), qualify 1d, propose 1d, back to qualify 2d, lost.
/// F lead 1d, lost, reopened into lead on 01-20.
#[test]
fn deal_kpis() {
    let model = model();
    let report = Run::new(&model).history(read("history.csv")).run();
    assert_eq!(report.as_of.as_deref(), Some("2023-01-20T00:00:00Z"));
    let k = &report.kpis;
    assert_eq!((k.deals, k.open, k.won, k.lost), (6, 3, 1, 2));
    close(k.win_rate, 1.0 / 3.0);
    close(k.average_deal_size, 250.0);
    close(k.cycle_days, 10.0);
    close(k.cycle_days_median, 10.0);
    close(k.sales_velocity, 3.0 * 250.0 * (1.0 / 3.0) / 10.0);
    close(k.open_amount, 400.0 + 1000.0 + 10.0);
    close(k.weighted_pipeline, 400.0 * 0.6 + 1000.0 * 0.3 + 10.0 * 0.1);
    close(k.forecast.pipeline, 1010.0);
    close(k.forecast.best_case, 400.0);
    close(k.forecast.commit, 0.0);
    assert_eq!(k.coverage, None, "no target, no coverage");
    assert_eq!(report.rows.read, 20);
    assert_eq!(report.rows.used, 20);

    let mut with_target = Run::new(&model).history(read("history.csv"));
    with_target.window.target = Some(2820.0);
    close(with_target.run().kpis.coverage, 0.5);
}

#[test]
fn stage_figures() {
    let model = model();
    let report = Run::new(&model).history(read("history.csv")).run();
    let ids: Vec<&str> = report.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["lead", "qualify", "propose", "negotiate", "won", "lost"]
    );

    let lead = stage(&report, "lead");
    assert_eq!(
        (lead.entered, lead.reached),
        (5, 6),
        "D skipped lead but reached it"
    );
    assert_eq!(
        (lead.advanced, lead.dropped, lead.still_open),
        (Some(4), Some(0), Some(1))
    );
    close(lead.conversion, 1.0);
    assert_eq!((lead.won_after, lead.lost_here), (1, Some(0)));
    // Completed visits 2, 1, 1, 2, 1 (F's first); F's second is ongoing.
    assert_eq!(lead.visits, 5);
    close(lead.days_median, 1.0);
    close(lead.days_p90, 2.0);
    close(lead.days_mean, 1.4);
    assert_eq!((lead.over_expected, lead.stale_now), (Some(0), Some(0)));

    let qualify = stage(&report, "qualify");
    assert_eq!((qualify.entered, qualify.reached), (4, 5));
    assert_eq!(
        (qualify.advanced, qualify.dropped, qualify.still_open),
        (Some(2), Some(1), Some(1))
    );
    close(qualify.conversion, 2.0 / 3.0);
    assert_eq!((qualify.won_after, qualify.lost_here), (1, Some(2)));
    // Visits 4, 10, 1, 2: the median of an even count is the mean of the middle two.
    assert_eq!(qualify.visits, 4);
    close(qualify.days_median, 3.0);
    close(qualify.days_p90, 10.0);
    close(qualify.days_mean, 4.25);
    assert_eq!(
        qualify.over_expected,
        Some(1),
        "10 days > 4; exactly 4 is not over"
    );
    assert_eq!(qualify.stale_now, Some(1), "D: 11 days > 10");

    let propose = stage(&report, "propose");
    assert_eq!((propose.entered, propose.reached), (3, 3));
    assert_eq!(
        (propose.advanced, propose.dropped, propose.still_open),
        (Some(1), Some(1), Some(1))
    );
    close(propose.conversion, 0.5);
    assert_eq!(propose.visits, 2, "C's re-save is not a new visit");
    assert_eq!((propose.over_expected, propose.stale_now), (None, None));

    let negotiate = stage(&report, "negotiate");
    assert_eq!(
        (negotiate.entered, negotiate.reached, negotiate.advanced),
        (1, 1, Some(1))
    );
    close(negotiate.days_median, 3.0);

    let won = stage(&report, "won");
    assert_eq!((won.entered, won.reached, won.won_after), (1, 1, 1));
    assert_eq!(
        (won.advanced, won.conversion, won.lost_here, won.days_median),
        (None, None, None, None)
    );
    let lost = stage(&report, "lost");
    assert_eq!((lost.entered, lost.reached, lost.won_after), (3, 3, 0));
}

#[test]
fn move_findings_with_their_subjects_and_lines() {
    let model = model();
    let report = Run::new(&model).history(read("history.csv")).run();
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        [
            "wrong-entry",
            "illegal-move",
            "illegal-move",
            "stale-deal",
            "probability-mismatch"
        ]
    );

    let wrong = findings(&report, "wrong-entry")[0];
    assert_eq!((wrong.severity, wrong.count), ("warning", 1));
    assert_eq!(wrong.stage.as_deref(), Some("qualify"));
    assert_eq!(wrong.examples[0].deal.as_deref(), Some("D"));
    assert_eq!(wrong.examples[0].line, 13);

    let moves = findings(&report, "illegal-move");
    assert_eq!(
        (moves[0].stage.as_deref(), moves[0].to.as_deref()),
        (Some("lead"), Some("propose"))
    );
    assert!(
        moves[0].message.contains("skipped `qualify`"),
        "{}",
        moves[0].message
    );
    assert_eq!(
        (
            moves[0].examples[0].deal.as_deref(),
            moves[0].examples[0].line
        ),
        (Some("C"), 11)
    );
    assert_eq!(
        (moves[1].stage.as_deref(), moves[1].to.as_deref()),
        (Some("lost"), Some("lead"))
    );
    assert!(
        moves[1].message.contains("reopened"),
        "{}",
        moves[1].message
    );
    assert_eq!(moves[1].examples[0].line, 21);

    let stale = findings(&report, "stale-deal")[0];
    assert_eq!((stale.stage.as_deref(), stale.count), (Some("qualify"), 1));
    assert_eq!(stale.examples[0].deal.as_deref(), Some("D"));

    let mismatch = findings(&report, "probability-mismatch")[0];
    assert_eq!(mismatch.stage.as_deref(), Some("lead"));
    assert_eq!(mismatch.value, Some(serde_json::json!(25.0)));
    assert_eq!((mismatch.count, mismatch.examples[0].line), (1, 14));
}

#[test]
fn a_move_back_that_the_process_lists_is_not_a_finding() {
    let model = model();
    let history = "deal,stage,at\nX,lead,2023-01-01\nX,qualify,2023-01-02\nX,propose,2023-01-03\nX,qualify,2023-01-04\nX,propose,2023-01-05\nX,lead,2023-01-06\n";
    let report = Run::new(&model).history(history).run();
    let moves = findings(&report, "illegal-move");
    assert_eq!(moves.len(), 1);
    assert_eq!(
        (moves[0].stage.as_deref(), moves[0].to.as_deref()),
        (Some("propose"), Some("lead"))
    );
    assert!(
        moves[0].message.contains("went back"),
        "{}",
        moves[0].message
    );
}

#[test]
fn field_findings_need_the_deals_file() {
    let model = model();
    let report = Run::new(&model)
        .history(read("history.csv"))
        .deals(read("deals.csv"))
        .run();
    let missing = findings(&report, "missing-required");
    assert_eq!(missing.len(), 1);
    assert_eq!(
        (missing[0].stage.as_deref(), missing[0].field.as_deref()),
        (Some("qualify"), Some("budget"))
    );
    assert_eq!(
        (
            missing[0].examples[0].deal.as_deref(),
            missing[0].examples[0].line
        ),
        (Some("D"), 5)
    );

    // B (budget empty: not set) and C (budget false) moved on from lead.
    let exit = findings(&report, "exit-not-met");
    assert_eq!(exit.len(), 1);
    assert_eq!((exit[0].stage.as_deref(), exit[0].count), (Some("lead"), 2));
    let deals: Vec<_> = exit[0]
        .examples
        .iter()
        .map(|e| e.deal.as_deref().unwrap())
        .collect();
    assert_eq!(deals, ["B", "C"]);
    assert!(findings(&report, "field-not-in-data").is_empty());

    // Without a column for `size`, qualify's exit is unknown: reported once, as info.
    let no_size = "deal,budget\nA,true\nB,\nC,false\nD,\nE,yes\nF,\n";
    let report = Run::new(&model)
        .history(read("history.csv"))
        .deals(no_size)
        .run();
    let not_in_data = findings(&report, "field-not-in-data");
    assert_eq!(not_in_data.len(), 1);
    assert_eq!(
        (
            not_in_data[0].field.as_deref(),
            not_in_data[0].severity,
            not_in_data[0].count
        ),
        (Some("size"), "info", 1)
    );
    assert!(findings(&report, "exit-not-met")
        .iter()
        .all(|f| f.stage.as_deref() == Some("lead")));

    // Deals from the deals file give amounts over the history's.
    let amounts = "deal,amount\nC,1000\nD,\n";
    let report = Run::new(&model)
        .history(read("history.csv"))
        .deals(amounts)
        .run();
    close(report.kpis.open_amount, 1000.0 + 1000.0 + 10.0);
}

#[test]
fn groups_by_owner_segment_field_and_column() {
    let model = model();
    let by = |key: &str| {
        let mut run = Run::new(&model)
            .history(read("history.csv"))
            .deals(read("deals.csv"));
        run.window.by = Some(key.into());
        run.run()
    };
    let owners = by("owner");
    let shown: Vec<(&str, u64, u64, u64)> = owners
        .groups
        .iter()
        .map(|g| (g.value.as_str(), g.kpis.deals, g.kpis.won, g.kpis.lost))
        .collect();
    assert_eq!(shown, [("ann", 3, 1, 1), ("bob", 3, 0, 1)]);
    assert_eq!(owners.groups[0].by, "owner");

    let segments = by("segment");
    let shown: Vec<(&str, u64)> = segments
        .groups
        .iter()
        .map(|g| (g.value.as_str(), g.kpis.deals))
        .collect();
    assert_eq!(shown, [("big", 2), ("other", 1), ("small", 3)]);

    let budget = by("budget");
    let shown: Vec<(&str, u64)> = budget
        .groups
        .iter()
        .map(|g| (g.value.as_str(), g.kpis.deals))
        .collect();
    assert_eq!(shown, [("(not set)", 3), ("false", 1), ("true", 2)]);

    let column = by("Company size");
    assert_eq!(column.groups.len(), 6);

    let mut unknown = Run::new(&model)
        .history(read("history.csv"))
        .deals(read("deals.csv"));
    unknown.window.by = Some("region".into());
    assert!(unknown.try_run().unwrap_err().contains("region"));
}

#[test]
fn window_and_as_of() {
    let model = model();
    let mut run = Run::new(&model).history(read("history.csv"));
    run.window.since = Some(1_672_531_200 + 86_400); // 2023-01-02
    run.window.until = Some(1_672_531_200 + 5 * 86_400); // before 2023-01-06
    let report = run.run();
    // Created on 01-02 (E) and 01-05 (C) only.
    assert_eq!(report.kpis.deals, 2);
    assert_eq!(report.rows.left_out.get("window"), Some(&12));
    assert_eq!(report.rows.used + 12, report.rows.read);

    let mut early = Run::new(&model).history(read("history.csv"));
    early.window.as_of = Some(1_672_531_200 + 30 * 86_400);
    let report = early.run();
    assert_eq!(report.as_of.as_deref(), Some("2023-01-31T00:00:00Z"));
    assert_eq!(stage(&report, "qualify").stale_now, Some(1));
    assert_eq!(
        stage(&report, "lead").stale_now,
        Some(1),
        "F: 11 days in lead by 01-31"
    );
}

#[test]
fn bad_rows_are_left_out_counted_and_shown_with_their_lines() {
    let model = model();
    let history = b"deal,stage,at,amount\nA,lead,2023-01-01,5\n,lead,2023-01-01,5\nB,lead,31/01/2023,5\nC,lead,2023-01-01,12k\nD,Qualifi\xe9,2023-01-01,5\nE,closing,2023-01-02,5\nE,Closing ,2023-01-02,5\nF,lead,2023-01-01,\n";
    let report = Run::new(&model).history(history).run();
    assert_eq!(report.rows.read, 8);
    assert_eq!(report.rows.used, 2);
    assert_eq!(report.rows.left_out.get("bad-row"), Some(&4));
    assert_eq!(report.rows.left_out.get("unknown-stage"), Some(&2));
    let bad = findings(&report, "bad-row")[0];
    assert_eq!((bad.severity, bad.count), ("error", 4));
    let lines: Vec<u32> = bad.examples.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 6]);
    assert_eq!(bad.examples[0].deal, None);
    assert_eq!(bad.examples[1].deal.as_deref(), Some("B"));
    let unknown = findings(&report, "unknown-stage");
    assert_eq!(unknown.len(), 2, "each spelling is its own subject");
    assert_eq!(unknown[0].value, Some(serde_json::json!("Closing")));
    assert!(report.fails(false));

    // Severities come from `salespath.yaml`; `off` hides a finding but its rows stay out.
    let mut quiet = Run::new(&model).history(history);
    quiet.levels = Config::parse("rules:\n  bad-row: warning\n  unknown-stage: off\n")
        .unwrap()
        .rules;
    let report = quiet.run();
    assert_eq!(findings(&report, "bad-row")[0].severity, "warning");
    assert!(findings(&report, "unknown-stage").is_empty());
    assert_eq!(report.rows.left_out.get("unknown-stage"), Some(&2));
    assert!(!report.fails(false));
    assert!(report.fails(true));
}

#[test]
fn encodings_bom_and_quoting() {
    let model = model();
    let latin1 = b"deal,stage,at\nD\xe9j\xe0,lead,2023-01-01\n";
    let mut run = Run::new(&model).history(latin1);
    assert_eq!(
        run.run().rows.left_out.get("bad-row"),
        Some(&1),
        "not UTF-8"
    );
    run.data.encoding = Some(Encoding::Latin1);
    let report = run.run();
    assert_eq!(report.kpis.deals, 1);
    run.data.encoding = Some(Encoding::Windows1252);
    assert_eq!(run.run().kpis.deals, 1);

    let bom = "\u{feff}deal,stage,at\n\"A, Inc.\",\"Lead\",2023-01-01\n\"B\nline\",lead,2023-01-01\nC,lead,2023-01-03\n";
    let report = Run::new(&model).history(bom).run();
    assert_eq!(report.kpis.deals, 3);
    assert_eq!(report.rows.used, 3);
}

#[test]
fn mapping_presets_dates_zones_filters_and_stage_names() {
    let model = model();
    let salesforce = "OpportunityId,StageName,CreatedDate,Amount,Probability,Pipeline\n006A,Lead,2023-01-01T09:00:00.000+0000,100,10,New\n006A,Closing Won,2023-01-05T09:00:00.000+0000,100,100,New\n006B,Lead,2023-01-01T09:00:00.000+0000,100,10,Renewal\n";
    let mut run = Run::new(&model).history(salesforce);
    run.preset = Preset::Salesforce;
    run.data = serde_norway_config("stages: {\"Closing Won\": won}\nfilter: {Pipeline: New}\n");
    let report = run.run();
    assert_eq!((report.kpis.deals, report.kpis.won), (1, 1));
    assert_eq!(report.rows.left_out.get("filter"), Some(&1));
    close(report.kpis.cycle_days, 4.0);

    let mut dated = Run::new(&model)
        .history("deal,stage,when\nA,lead,07/02/2023 10:00\nA,won,08/02/2023 10:00\n");
    dated.data = serde_norway_config(
        "columns: {at: when}\ndate_format: \"%d/%m/%Y %H:%M\"\ntimezone: America/New_York\n",
    );
    let report = dated.run();
    assert_eq!(report.as_of.as_deref(), Some("2023-02-08T15:00:00Z"));

    let mut missing = Run::new(&model).history("deal,stage\nA,lead\n");
    let e = missing.try_run().unwrap_err();
    assert!(e.contains("no column `at`"), "{e}");
    missing.data = serde_norway_config("columns: {at: Edit Date}\n");
    let e = missing.try_run().unwrap_err();
    assert!(e.contains("`Edit Date`"), "{e}");
    missing.data = serde_norway_config("columns: {stagee: x}\n");
    let e = missing.try_run().unwrap_err();
    assert!(e.contains("did you mean `stage`"), "{e}");
    missing.data = serde_norway_config("stages: {Closing: closing}\n");
    assert!(missing.try_run().unwrap_err().contains("`closing`"));
}

/// A field mapped to an empty column name is not in the data: its conditions are unknown and
/// `field-not-in-data` says so, even when a column happens to carry its id.
#[test]
fn a_field_mapped_to_no_column_is_not_checked() {
    let model = model();
    let deals = "deal,budget,size\nA,true,1\nB,,2\nC,false,3\nD,,4\nE,yes,5\nF,,6\n";
    let mut run = Run::new(&model).history(read("history.csv")).deals(deals);
    run.data = serde_norway_config("deals_columns: {size: \"\"}");
    let report = run.run();
    let not_in_data = findings(&report, "field-not-in-data");
    assert_eq!(not_in_data.len(), 1);
    assert_eq!(not_in_data[0].field.as_deref(), Some("size"));
    // A standard column mapped to nothing is read as absent, not looked for.
    let mut run = Run::new(&model).history(read("history.csv"));
    run.data = serde_norway_config("history_columns: {amount: \"\"}");
    let report = run.run();
    assert_eq!(report.kpis.open_amount, None);
}

/// Money KPIs are null when no deal has an amount, even with an amount column that is empty.
#[test]
fn money_kpis_are_null_when_no_deal_has_an_amount() {
    let model = model();
    let history =
        "deal,stage,at,amount\nA,lead,2023-01-01,\nA,won,2023-01-03,\nB,lead,2023-01-02,\n";
    let report = Run::new(&model).history(history).run();
    assert_eq!(report.kpis.open, 1);
    assert_eq!(report.kpis.open_amount, None);
    assert_eq!(report.kpis.weighted_pipeline, None);
    assert_eq!(report.kpis.average_deal_size, None);
    // One amount anywhere makes the sums numbers: B's open amount is then 0.
    let history =
        "deal,stage,at,amount\nA,lead,2023-01-01,\nA,won,2023-01-03,900\nB,lead,2023-01-02,\n";
    let report = Run::new(&model).history(history).run();
    close(report.kpis.open_amount, 0.0);
    close(report.kpis.average_deal_size, 900.0);
}

fn serde_norway_config(data: &str) -> DataConfig {
    let indented: String = data.lines().map(|l| format!("  {l}\n")).collect();
    Config::parse(&format!("data:\n{indented}")).unwrap().data
}

#[test]
fn deals_file_alone_gives_one_visit_per_deal() {
    let model = model();
    let deals = "deal,stage,created,closed,stage_changed,amount\nA,won,2023-01-01,2023-01-11,,500\nB,qualify,2023-01-01,,2023-01-05,100\nC,lost,2023-01-02,2023-01-03,,\nD,,2023-01-01,,,\n";
    let report = Run::new(&model).deals(deals).run();
    assert_eq!(
        (
            report.kpis.deals,
            report.kpis.won,
            report.kpis.lost,
            report.kpis.open
        ),
        (3, 1, 1, 1)
    );
    assert_eq!(
        report.as_of.as_deref(),
        Some("2023-01-05T00:00:00Z"),
        "close dates are left out"
    );
    close(report.kpis.cycle_days, 10.0);
    // Nothing is inferred about stages a deal passed, but the funnel counts it as reached.
    assert_eq!(stage(&report, "lead").entered, 0);
    assert_eq!(stage(&report, "lead").reached, 2);
    assert!(findings(&report, "illegal-move").is_empty());
    assert!(findings(&report, "wrong-entry").is_empty());
    assert_eq!(
        findings(&report, "bad-row")[0].examples[0].line,
        5,
        "D has no stage and no history"
    );
}

fn generated(rows: u64, seed: u64, quirks: bool) -> (Vec<u8>, salespath::audit::synth::Known) {
    let model = enterprise();
    let mut out = Vec::new();
    let known = write_history(&mut out, &model.processes[0], Synth { rows, seed, quirks }).unwrap();
    (out, known)
}

fn count(report: &Report, rule: &str) -> u64 {
    findings(report, rule).iter().map(|f| f.count).sum()
}

#[test]
fn generated_histories_give_the_known_answers() {
    let model = enterprise();
    for seed in 1..=4 {
        let (text, known) = generated(20_000, seed, true);
        let report = Run::new(&model).history(&text).run();
        let k = &report.kpis;
        assert_eq!(
            (k.deals, k.open, k.won, k.lost),
            (known.deals, known.open, known.won, known.lost)
        );
        close(
            k.win_rate,
            known.won as f64 / (known.won + known.lost) as f64,
        );
        close(k.average_deal_size, known.won_amount / known.won as f64);
        let cycle = k.cycle_days.unwrap();
        assert!((cycle - known.won_cycle_days / known.won as f64).abs() < 1e-6);
        assert_eq!(report.rows.read, known.rows);
        assert_eq!(
            report.rows.left_out.get("bad-row").copied().unwrap_or(0),
            known.bad_rows
        );
        assert_eq!(
            report
                .rows
                .left_out
                .get("unknown-stage")
                .copied()
                .unwrap_or(0),
            known.unknown_stage_rows
        );
        assert_eq!(count(&report, "illegal-move"), known.illegal_moves);
        assert_eq!(count(&report, "wrong-entry"), known.wrong_entries);
        assert_eq!(
            count(&report, "probability-mismatch"),
            known.probability_mismatches
        );
        assert_eq!(count(&report, "bad-row"), known.bad_rows);
        assert!(known.resaves > 0 && known.illegal_moves > 0 && known.bad_rows > 0);
        assert_eq!(
            report.as_of.as_deref().map(|a| a.to_string()),
            Some(salespath::audit::dates::format_utc(known.latest))
        );
        // Re-saves are not visits; a skipped stage is reached but not entered.
        for (i, s) in report.stages.iter().enumerate() {
            assert_eq!(s.entered, known.entered[i], "entered `{}`", s.id);
            assert_eq!(s.won_after, known.won_after[i], "won after `{}`", s.id);
            let lost_here = s.outcome.is_none().then_some(known.lost_here[i]);
            assert_eq!(s.lost_here, lost_here, "lost at `{}`", s.id);
            assert!(s.entered <= s.reached);
        }
        // Stale now: open deals in their stage for longer than its stale_after at the as-of
        // date, the latest time written.
        for (i, stage) in model.processes[0].stages.iter().enumerate() {
            let Some(limit) = stage.stale_after else {
                continue;
            };
            let stale = known
                .open_in
                .iter()
                .filter(|(s, at)| *s == i && (known.latest - at) as f64 / 86_400.0 > limit.days())
                .count() as u64;
            assert_eq!(
                report.stages[i].stale_now,
                Some(stale),
                "stale in `{}`",
                stage.id
            );
            let found: u64 = findings(&report, "stale-deal")
                .iter()
                .filter(|f| f.stage.as_deref() == Some(stage.id.as_str()))
                .map(|f| f.count)
                .sum();
            assert_eq!(found, stale);
        }
    }
}

#[test]
fn rows_in_any_order_give_the_same_figures() {
    let model = enterprise();
    let (text, _) = generated(5_000, 9, false);
    let text = String::from_utf8(text).unwrap();
    let mut lines: Vec<&str> = text.lines().skip(1).collect();
    let in_order = Run::new(&model).history(&text).run();
    lines.reverse();
    let third = lines.len() / 3;
    lines.rotate_left(third);
    let shuffled = format!("deal,stage,at,amount,probability\n{}\n", lines.join("\n"));
    let report = Run::new(&model).history(&shuffled).run();
    assert_eq!(report.kpis, in_order.kpis);
    assert_eq!(report.stages, in_order.stages);
    let counts = |r: &Report| {
        r.findings
            .iter()
            .map(|f| (f.rule, f.stage.clone(), f.to.clone(), f.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&report), counts(&in_order));
}

/// A tiny generator of hostile bytes: CSV punctuation, invalid UTF-8, huge fields.
fn hostile(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let pieces: [&[u8]; 12] = [
        b",",
        b"\"",
        b"\n",
        b"\r\n",
        b"lead",
        b"2023-01-01",
        b"\xff\xfe",
        b"\xe9",
        b"deal",
        b"-1e999",
        b"9999-99-99T99:99",
        b"A",
    ];
    let mut out = b"deal,stage,at,amount,probability\n".to_vec();
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(pieces[(x % pieces.len() as u64) as usize]);
    }
    out
}

#[test]
fn hostile_bytes_never_panic() {
    let model = model();
    for seed in 0..300 {
        let bytes = hostile(seed, 50 + (seed as usize * 37) % 3000);
        let _ = Run::new(&model).history(&bytes).try_run();
        let mut deals = bytes.clone();
        deals.splice(0..0, b"deal,stage,budget,size\n".iter().copied());
        let _ = Run::new(&model).deals(&deals).history(&bytes).try_run();
        let raw: Vec<u8> = (0..seed * 7).map(|i| (i * 31 + seed) as u8).collect();
        let _ = Run::new(&model).history(&raw).try_run();
    }
}

#[test]
fn same_input_same_report() {
    let model = model();
    let run = || {
        let r = Run::new(&model)
            .history(read("history.csv"))
            .deals(read("deals.csv"))
            .run();
        salespath::audit::render::json(&r)
    };
    assert_eq!(run(), run());
}
