//! The views, each a function of the ones before it. Definitions are those of the audit
//! (src/audit/analyze.rs): visits merge consecutive rows of one stage, ordered by time and
//! then by `line`; durations are whole seconds / 86400; the 90th percentile is nearest-rank.

use super::data;
use super::dialect::Dialect;
use super::Settings;
use crate::audit::findings::RuleId;
use crate::config::Level;
use crate::model::Process;

/// The history column for each key: `data.history_columns`, then `data.columns`, then the
/// preset's name, then the key itself.
fn column(settings: &Settings, key: &str) -> String {
    let data = &settings.data;
    let preset = match (data.preset, key) {
        (Some(crate::audit::Preset::Salesforce), "deal") => Some("OpportunityId"),
        (Some(crate::audit::Preset::Salesforce), "stage") => Some("StageName"),
        (Some(crate::audit::Preset::Salesforce), "at") => Some("CreatedDate"),
        (Some(crate::audit::Preset::Salesforce), "amount") => Some("Amount"),
        (Some(crate::audit::Preset::Salesforce), "probability") => Some("Probability"),
        _ => None,
    };
    data.history_columns
        .get(key)
        .or_else(|| data.columns.get(key))
        .map(String::as_str)
        .or(preset)
        .unwrap_or(key)
        .to_string()
}

/// An output or input column name: bare when it is a plain lower-case word (so each
/// warehouse folds it as usual), quoted otherwise.
pub fn name(d: Dialect, text: &str) -> String {
    const RESERVED: &[&str] = &[
        "to", "at", "from", "select", "order", "group", "where", "rows", "range", "window", "user",
        "all", "and", "or", "not", "end", "case", "when", "then", "else", "on", "as", "by", "in",
        "is", "null", "true", "false", "limit", "table", "join",
    ];
    let plain = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain && !RESERVED.contains(&text) {
        text.to_string()
    } else {
        d.ident(text)
    }
}

/// The relation the views read.
pub const SOURCE: &str = "stage_history";

/// Every view as (name, query). `refer` writes a reference to another view or to [`SOURCE`].
pub fn all(
    process: &Process,
    settings: &Settings,
    refer: &dyn Fn(&str) -> String,
) -> Vec<(String, String)> {
    let d = settings.dialect;
    let p = &process.id;
    let v = |suffix: &str| refer(&format!("{p}_{suffix}"));
    let f = d.float();
    let days = |a: &str, b: &str| format!("CAST({} AS {f}) / 86400.0", d.seconds_between(a, b));
    let col = |key: &str| format!("h.{}", name(d, &column(settings, key)));

    let history_rows = format!(
        "SELECT CAST({deal} AS {text}) AS deal_id, n.stage_index, {at} AS entered_at,\n  \
         CAST({amount} AS {f}) AS amount, CAST({probability} AS {f}) AS probability, h.line AS line_no\n\
         FROM {source} AS h\n\
         JOIN {names} AS n ON n.name = LOWER(TRIM(CAST({stage} AS {text})))\n\
         WHERE {deal} IS NOT NULL AND CAST({deal} AS {text}) <> '' AND {at} IS NOT NULL",
        deal = col("deal"),
        stage = col("stage"),
        at = col("at"),
        amount = col("amount"),
        probability = col("probability"),
        text = d.text(),
        names = v("stage_names"),
        source = refer(SOURCE),
    );
    let order = "PARTITION BY deal_id ORDER BY entered_at, line_no";
    let visits = format!(
        "SELECT deal_id, stage_index, entered_at, line_no,\n  \
         ROW_NUMBER() OVER ({order}) AS visit_no,\n  \
         LAG(stage_index) OVER ({order}) AS from_index,\n  \
         LEAD(entered_at) OVER ({order}) AS next_at\n\
         FROM (\n  \
           SELECT deal_id, stage_index, entered_at, line_no,\n    \
           LAG(stage_index) OVER ({order}) AS previous_index\n  \
           FROM {rows}\n\
         ) AS marked\n\
         WHERE previous_index IS NULL OR previous_index <> stage_index",
        rows = v("history_rows"),
    );
    let deals = format!(
        "SELECT a.deal_id, a.created, cur.stage_index AS current_index, cur.entered_at,\n  \
         cur.line_no AS entered_line,\n  \
         CASE WHEN s.is_won THEN 'won' WHEN s.is_lost THEN 'lost' ELSE 'open' END AS status,\n  \
         lo.stage_index AS last_open_index, a.any_won, a.max_open_index, m.amount\n\
         FROM (\n  \
           SELECT v.deal_id, MIN(v.entered_at) AS created, MAX(v.visit_no) AS last_no,\n    \
           MAX(CASE WHEN t.is_open THEN v.visit_no END) AS last_open_no,\n    \
           MAX(CASE WHEN t.is_won THEN 1 ELSE 0 END) AS any_won,\n    \
           MAX(CASE WHEN t.is_open THEN v.stage_index END) AS max_open_index\n  \
           FROM {visits} AS v JOIN {stages} AS t ON t.stage_index = v.stage_index\n  \
           GROUP BY v.deal_id\n\
         ) AS a\n\
         JOIN {visits} AS cur ON cur.deal_id = a.deal_id AND cur.visit_no = a.last_no\n\
         JOIN {stages} AS s ON s.stage_index = cur.stage_index\n\
         LEFT JOIN {visits} AS lo ON lo.deal_id = a.deal_id AND lo.visit_no = a.last_open_no\n\
         LEFT JOIN (\n  \
           SELECT deal_id, amount FROM (\n    \
             SELECT deal_id, amount,\n      \
             ROW_NUMBER() OVER (PARTITION BY deal_id ORDER BY entered_at DESC, line_no DESC) AS rn\n    \
             FROM {rows} WHERE amount IS NOT NULL\n  \
           ) AS latest WHERE rn = 1\n\
         ) AS m ON m.deal_id = a.deal_id",
        visits = v("visits"),
        stages = v("process_stages"),
        rows = v("history_rows"),
    );
    // A stage is advanced from when a later visit goes to a won stage or an open stage
    // listed after it (DEALS.md section 4, "forward").
    let deal_stages = format!(
        "SELECT e.deal_id, e.stage_index,\n  \
         MAX(CASE WHEN t.is_won OR (t.is_open AND t.stage_index > e.stage_index) THEN 1 ELSE 0 END) AS advanced\n\
         FROM (\n  \
           SELECT deal_id, stage_index, MIN(visit_no) AS first_no FROM {visits} GROUP BY deal_id, stage_index\n\
         ) AS e\n\
         LEFT JOIN {visits} AS v ON v.deal_id = e.deal_id AND v.visit_no > e.first_no\n\
         LEFT JOIN {stages} AS t ON t.stage_index = v.stage_index\n\
         GROUP BY e.deal_id, e.stage_index",
        visits = v("visits"),
        stages = v("process_stages"),
    );
    let as_of = format!("SELECT MAX(entered_at) AS as_of FROM {}", v("history_rows"));
    let stages = stage_figures(d, &v, &days);
    let kpis = kpi_figures(d, &v, &days, settings.data.target);
    let findings = findings(process, d, &v, &days, settings);
    vec![
        (format!("{p}_process_stages"), data::stages(process, d)),
        (format!("{p}_stage_names"), data::names(process, settings)),
        (format!("{p}_process_next"), data::next(process, d)),
        (format!("{p}_history_rows"), history_rows),
        (format!("{p}_visits"), visits),
        (format!("{p}_deals"), deals),
        (format!("{p}_deal_stages"), deal_stages),
        (format!("{p}_as_of"), as_of),
        (format!("{p}_stages"), stages),
        (format!("{p}_kpis"), kpis),
        (format!("{p}_findings"), findings),
    ]
}

/// Median (mean of the middle two for an even count) and nearest-rank 90th percentile of
/// `value`, over rows numbered `rn` of `n` in ascending order.
fn median(value: &str) -> String {
    format!("AVG(CASE WHEN 2 * rn BETWEEN n AND n + 2 THEN {value} END)")
}

fn p90(value: &str) -> String {
    format!("MAX(CASE WHEN 10 * rn >= 9 * n AND 10 * (rn - 1) < 9 * n THEN {value} END)")
}

fn stage_figures(
    d: Dialect,
    v: &dyn Fn(&str) -> String,
    days: &dyn Fn(&str, &str) -> String,
) -> String {
    let n = |s: &str| name(d, s);
    let f = d.float();
    format!(
        "SELECT s.stage_index AS {position}, s.id AS {id}, s.label AS {label}, s.outcome AS {outcome},\n  \
         s.probability AS {probability}, s.expected_days AS {expected_days}, s.stale_after_days AS {stale_after_days},\n  \
         COALESCE(fig.entered, 0) AS {entered},\n  \
         CASE WHEN s.is_open THEN COALESCE(r.reached, 0) ELSE COALESCE(fig.entered, 0) END AS {reached},\n  \
         CASE WHEN s.is_open THEN COALESCE(fig.advanced, 0) END AS {advanced},\n  \
         CASE WHEN s.is_open THEN COALESCE(fig.dropped, 0) END AS {dropped},\n  \
         CASE WHEN s.is_open THEN COALESCE(fig.still_open, 0) END AS {still_open},\n  \
         CASE WHEN s.is_open AND fig.advanced + fig.dropped > 0\n    \
           THEN CAST(fig.advanced AS {f}) / CAST(fig.advanced + fig.dropped AS {f}) END AS {conversion},\n  \
         COALESCE(fig.won_after, 0) AS {won_after},\n  \
         CASE WHEN s.is_open THEN COALESCE(l.lost_here, 0) END AS {lost_here},\n  \
         t.days_median AS {days_median}, t.days_p90 AS {days_p90}, t.days_mean AS {days_mean},\n  \
         COALESCE(t.visits, 0) AS {visits_col},\n  \
         CASE WHEN s.is_open AND s.expected_days IS NOT NULL THEN COALESCE(t.over_expected, 0) END AS {over_expected},\n  \
         CASE WHEN s.is_open AND s.stale_after_days IS NOT NULL THEN COALESCE(st.stale_now, 0) END AS {stale_now}\n\
         FROM {stages} AS s\n\
         LEFT JOIN (\n  \
           SELECT ds.stage_index, COUNT(*) AS entered, SUM(ds.advanced) AS advanced,\n    \
           SUM(CASE WHEN ds.advanced = 0 AND d.status <> 'open' THEN 1 ELSE 0 END) AS dropped,\n    \
           SUM(CASE WHEN ds.advanced = 0 AND d.status = 'open' THEN 1 ELSE 0 END) AS still_open,\n    \
           SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END) AS won_after\n  \
           FROM {deal_stages} AS ds JOIN {deals} AS d ON d.deal_id = ds.deal_id\n  \
           GROUP BY ds.stage_index\n\
         ) AS fig ON fig.stage_index = s.stage_index\n\
         LEFT JOIN (\n  \
           SELECT o.stage_index, COUNT(*) AS reached\n  \
           FROM {stages} AS o JOIN {deals} AS d\n    \
             ON o.is_open AND (d.any_won = 1 OR d.max_open_index >= o.stage_index)\n  \
           GROUP BY o.stage_index\n\
         ) AS r ON r.stage_index = s.stage_index\n\
         LEFT JOIN (\n  \
           SELECT last_open_index AS stage_index, COUNT(*) AS lost_here FROM {deals}\n  \
           WHERE status = 'lost' AND last_open_index IS NOT NULL GROUP BY last_open_index\n\
         ) AS l ON l.stage_index = s.stage_index\n\
         LEFT JOIN (\n  \
           SELECT stage_index, {median} AS days_median, {p90} AS days_p90, AVG(days) AS days_mean,\n    \
           COUNT(*) AS visits, SUM(over_expected) AS over_expected\n  \
           FROM (\n    \
             SELECT stage_index, days, over_expected,\n      \
             ROW_NUMBER() OVER (PARTITION BY stage_index ORDER BY days) AS rn,\n      \
             COUNT(*) OVER (PARTITION BY stage_index) AS n\n    \
             FROM (\n      \
               SELECT v.stage_index, {visit_days} AS days,\n        \
               CASE WHEN {visit_days} > o.expected_days THEN 1 ELSE 0 END AS over_expected\n      \
               FROM {visits} AS v JOIN {stages} AS o ON o.stage_index = v.stage_index\n      \
               WHERE o.is_open AND v.next_at IS NOT NULL\n    \
             ) AS completed\n  \
           ) AS ranked\n  \
           GROUP BY stage_index\n\
         ) AS t ON t.stage_index = s.stage_index\n\
         LEFT JOIN (\n  \
           SELECT d.current_index AS stage_index, COUNT(*) AS stale_now\n  \
           FROM {deals} AS d JOIN {stages} AS o ON o.stage_index = d.current_index\n  \
           CROSS JOIN {as_of} AS a\n  \
           WHERE d.status = 'open' AND {stale_days} > o.stale_after_days\n  \
           GROUP BY d.current_index\n\
         ) AS st ON st.stage_index = s.stage_index",
        position = n("position"),
        id = n("id"),
        label = n("label"),
        outcome = n("outcome"),
        probability = n("probability"),
        expected_days = n("expected_days"),
        stale_after_days = n("stale_after_days"),
        entered = n("entered"),
        reached = n("reached"),
        advanced = n("advanced"),
        dropped = n("dropped"),
        still_open = n("still_open"),
        conversion = n("conversion"),
        won_after = n("won_after"),
        lost_here = n("lost_here"),
        days_median = n("days_median"),
        days_p90 = n("days_p90"),
        days_mean = n("days_mean"),
        visits_col = n("visits"),
        over_expected = n("over_expected"),
        stale_now = n("stale_now"),
        stages = v("process_stages"),
        deal_stages = v("deal_stages"),
        deals = v("deals"),
        visits = v("visits"),
        as_of = v("as_of"),
        median = median("days"),
        p90 = p90("days"),
        visit_days = days("v.entered_at", "v.next_at"),
        stale_days = days("d.entered_at", "a.as_of"),
    )
}

fn kpi_figures(
    d: Dialect,
    v: &dyn Fn(&str) -> String,
    days: &dyn Fn(&str, &str) -> String,
    target: Option<f64>,
) -> String {
    let n = |s: &str| name(d, s);
    let f = d.float();
    let open_amount = |cond: &str| {
        format!(
            "COALESCE(SUM(CASE WHEN d.status = 'open'{cond} THEN d.amount END), CAST(0 AS {f}))"
        )
    };
    let coverage = match target {
        Some(t) if t != 0.0 => format!("k.open_amount / {}", d.number(t)),
        _ => format!("CAST(NULL AS {f})"),
    };
    format!(
        "SELECT a.as_of AS {as_of}, k.deals AS {deals_col}, k.open_deals AS {open}, k.won AS {won}, k.lost AS {lost},\n  \
         CASE WHEN k.won + k.lost > 0 THEN CAST(k.won AS {f}) / CAST(k.won + k.lost AS {f}) END AS {win_rate},\n  \
         k.average_deal_size AS {average_deal_size},\n  \
         c.cycle_days AS {cycle_days}, c.cycle_days_median AS {cycle_days_median},\n  \
         CASE WHEN c.cycle_days <> 0 AND k.won + k.lost > 0 AND k.average_deal_size IS NOT NULL\n    \
           THEN CAST(k.open_deals AS {f}) * k.average_deal_size * (CAST(k.won AS {f}) / CAST(k.won + k.lost AS {f})) / c.cycle_days\n  \
         END AS {sales_velocity},\n  \
         k.open_amount AS {open_amount}, k.weighted_pipeline AS {weighted_pipeline},\n  \
         k.forecast_pipeline AS {forecast_pipeline}, k.forecast_best_case AS {forecast_best_case},\n  \
         k.forecast_commit AS {forecast_commit}, {coverage} AS {coverage_name}\n\
         FROM (\n  \
           SELECT COUNT(*) AS deals,\n    \
           COALESCE(SUM(CASE WHEN d.status = 'open' THEN 1 ELSE 0 END), 0) AS open_deals,\n    \
           COALESCE(SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END), 0) AS won,\n    \
           COALESCE(SUM(CASE WHEN d.status = 'lost' THEN 1 ELSE 0 END), 0) AS lost,\n    \
           AVG(CASE WHEN d.status = 'won' THEN d.amount END) AS average_deal_size,\n    \
           {all_open} AS open_amount,\n    \
           COALESCE(SUM(CASE WHEN d.status = 'open' THEN d.amount * s.weight / 100.0 END), CAST(0 AS {f})) AS weighted_pipeline,\n    \
           {pipeline} AS forecast_pipeline,\n    \
           {best_case} AS forecast_best_case,\n    \
           {commit} AS forecast_commit\n  \
           FROM {deals} AS d JOIN {stages} AS s ON s.stage_index = d.current_index\n\
         ) AS k\n\
         CROSS JOIN (\n  \
           SELECT AVG(cycle) AS cycle_days, {median} AS cycle_days_median\n  \
           FROM (\n    \
             SELECT cycle, ROW_NUMBER() OVER (ORDER BY cycle) AS rn, COUNT(*) OVER () AS n\n    \
             FROM (SELECT {cycle} AS cycle FROM {deals} AS d WHERE d.status = 'won') AS won\n  \
           ) AS ranked\n\
         ) AS c\n\
         CROSS JOIN {as_of_view} AS a",
        as_of = n("as_of"),
        deals_col = n("deals"),
        open = n("open"),
        won = n("won"),
        lost = n("lost"),
        win_rate = n("win_rate"),
        average_deal_size = n("average_deal_size"),
        cycle_days = n("cycle_days"),
        cycle_days_median = n("cycle_days_median"),
        sales_velocity = n("sales_velocity"),
        open_amount = n("open_amount"),
        weighted_pipeline = n("weighted_pipeline"),
        forecast_pipeline = n("forecast_pipeline"),
        forecast_best_case = n("forecast_best_case"),
        forecast_commit = n("forecast_commit"),
        coverage_name = n("coverage"),
        all_open = open_amount(""),
        pipeline = open_amount(" AND s.forecast = 'pipeline'"),
        best_case = open_amount(" AND s.forecast = 'best_case'"),
        commit = open_amount(" AND s.forecast = 'commit'"),
        deals = v("deals"),
        stages = v("process_stages"),
        as_of_view = v("as_of"),
        median = median("cycle"),
        cycle = days("d.created", "d.entered_at"),
    )
}

/// One row per rule and subject, with its count and the first example in file order.
fn findings(
    process: &Process,
    d: Dialect,
    v: &dyn Fn(&str) -> String,
    days: &dyn Fn(&str, &str) -> String,
    settings: &Settings,
) -> String {
    let n = |s: &str| name(d, s);
    let (f, text) = (d.float(), d.text());
    let null_text = format!("CAST(NULL AS {text})");
    let first_stage = process.stages.first().map_or("", |s| s.id.as_str());
    let null_int = format!("CAST(NULL AS {})", d.integer());
    let stages = v("process_stages");
    let mut parts: Vec<String> = Vec::new();
    let mut add = |rule: RuleId, select: String| {
        let info = rule.rule();
        let level = settings
            .levels
            .get(info.name)
            .copied()
            .unwrap_or(info.default);
        if level == Level::Off {
            return;
        }
        parts.push(format!(
            "SELECT {rule} AS rule, {severity} AS severity, {select}",
            rule = d.string(info.name),
            severity = d.string(level.as_str()),
        ));
    };
    add(
        RuleId::WrongEntry,
        format!(
            "s.id AS stage, {null_text} AS to_stage, {null_int} AS value, {null_text} AS kind,\n    \
             'deal' AS noun, ' entered the process at `' || s.id || {first} AS detail,\n    \
             v.deal_id, v.line_no\n  \
             FROM {visits} AS v JOIN {stages} AS s ON s.stage_index = v.stage_index\n  \
             WHERE v.visit_no = 1 AND v.stage_index <> 0",
            visits = v("visits"),
            first = d.string(&format!("`, not at its first stage `{first_stage}`")),
        ),
    );
    add(
        RuleId::IllegalMove,
        format!(
            "s.id AS stage, t.id AS to_stage, {null_int} AS value,\n    \
             CASE WHEN NOT s.is_open THEN 'reopened'\n      \
             WHEN t.is_open AND t.stage_index < s.stage_index THEN 'went_back'\n      \
             WHEN t.is_lost THEN 'lost_elsewhere'\n      \
             WHEN EXISTS (SELECT 1 FROM {stages} AS k WHERE k.is_open AND k.stage_index > s.stage_index\n        \
               AND (t.is_won OR k.stage_index < t.stage_index)) THEN 'skipped'\n      \
             ELSE 'jumped' END AS kind,\n    \
             'move' AS noun,\n    \
             ' from `' || s.id || '` to `' || t.id || '`, which `' || s.id || '` does not lead to: ' ||\n    \
             CASE WHEN NOT s.is_open THEN 'it reopened a closed deal'\n      \
             WHEN t.is_open AND t.stage_index < s.stage_index THEN 'it went back'\n      \
             WHEN t.is_lost THEN 'it was lost from a stage that does not lead to this lost stage'\n      \
             WHEN t.skip_end - s.skip_start > 2\n        \
               THEN 'it skipped ' || SUBSTR({open_list}, s.skip_start, t.skip_end - s.skip_start - 2)\n      \
             ELSE 'it jumped to a stage that is not in `next:`' END AS detail,\n    \
             v.deal_id, v.line_no\n  \
             FROM {visits} AS v\n  \
             JOIN {stages} AS s ON s.stage_index = v.from_index\n  \
             JOIN {stages} AS t ON t.stage_index = v.stage_index\n  \
             LEFT JOIN {next} AS x ON x.from_index = v.from_index AND x.to_index = v.stage_index\n  \
             WHERE x.from_index IS NULL",
            visits = v("visits"),
            next = v("process_next"),
            open_list = d.string(&data::open_stage_list(process)),
        ),
    );
    add(
        RuleId::StaleDeal,
        format!(
            "s.id AS stage, {null_text} AS to_stage, {null_int} AS value, {null_text} AS kind,\n    \
             'deal' AS noun,\n    \
             ' open in `' || s.id || '` for longer than its `stale_after` of ' || s.stale_after_text AS detail,\n    \
             d.deal_id, d.entered_line AS line_no\n  \
             FROM {deals} AS d JOIN {stages} AS s ON s.stage_index = d.current_index\n  \
             CROSS JOIN {as_of} AS a\n  \
             WHERE d.status = 'open' AND {stale} > s.stale_after_days",
            deals = v("deals"),
            as_of = v("as_of"),
            stale = days("d.entered_at", "a.as_of"),
        ),
    );
    add(
        RuleId::ProbabilityMismatch,
        format!(
            "s.id AS stage, {null_text} AS to_stage, CAST(ROUND(r.probability * 100) AS {int}) AS value,\n    \
             {null_text} AS kind, 'history row' AS noun,\n    \
             ' of `' || s.id || '` recorded a probability of ' || {recorded} ||\n    \
             {not_the_stages} || s.probability_text || '%' AS detail,\n    \
             r.deal_id, r.line_no\n  \
             FROM {rows} AS r JOIN {stages} AS s ON s.stage_index = r.stage_index\n  \
             WHERE r.probability IS NOT NULL AND s.probability IS NOT NULL\n    \
             AND ROUND(r.probability * 100) <> ROUND(s.probability * 100)",
            rows = v("history_rows"),
            int = d.integer(),
            recorded = hundredths_text(d, &format!("CAST(ROUND(r.probability * 100) AS {})", d.integer())),
            not_the_stages = d.string("%, not the stage's "),
        ),
    );
    let found = if parts.is_empty() {
        format!(
            "SELECT {null_text} AS rule, {null_text} AS severity, {null_text} AS stage, \
             {null_text} AS to_stage, {null_int} AS value, {null_text} AS kind, \
             {null_text} AS noun, {null_text} AS detail, {null_text} AS deal_id, CAST(NULL AS {int}) AS line_no FROM (SELECT 1 AS one) AS empty WHERE 1 = 0",
            int = d.integer()
        )
    } else {
        parts.join("\n  UNION ALL\n  ")
    };
    format!(
        "SELECT rule AS {rule}, severity AS {severity}, COUNT(*) AS {count}, stage AS {stage},\n  \
         to_stage AS {to}, CAST(value AS {f}) / 100.0 AS {value}, kind AS {kind},\n  \
         CASE WHEN COUNT(*) = 1 THEN '1 ' || noun\n    \
         ELSE CAST(COUNT(*) AS {text}) || ' ' || noun || 's' END || detail AS {message},\n  \
         MAX(CASE WHEN rn = 1 THEN deal_id END) AS {example_deal}, MIN(line_no) AS {example_line}\n\
         FROM (\n  \
           SELECT found.*, ROW_NUMBER() OVER (\n    \
             PARTITION BY rule, stage, to_stage, value ORDER BY line_no) AS rn\n  \
           FROM (\n  {found}\n  ) AS found\n\
         ) AS numbered\n\
         GROUP BY rule, severity, stage, to_stage, value, kind, noun, detail",
        rule = n("rule"),
        severity = n("severity"),
        count = n("count"),
        stage = n("stage"),
        to = n("to"),
        value = n("value"),
        kind = n("kind"),
        message = n("message"),
        example_deal = n("example_deal"),
        example_line = n("example_line"),
    )
}

/// `number / 100` as text the way the audit writes numbers: no trailing zeros, no exponent
/// (`2000` gives `20`, `1250` gives `12.5`, `-5` gives `-0.05`).
fn hundredths_text(d: Dialect, number: &str) -> String {
    let (int, text) = (d.integer(), d.text());
    let abs = format!("ABS({number})");
    format!(
        "(CASE WHEN {number} < 0 THEN '-' ELSE '' END ||\n      \
         CAST(CAST(FLOOR({abs} / 100.0) AS {int}) AS {text}) ||\n      \
         CASE WHEN MOD({abs}, 100) = 0 THEN ''\n        \
         WHEN MOD({abs}, 10) = 0 THEN '.' || CAST(CAST(MOD({abs}, 100) / 10 AS {int}) AS {text})\n        \
         ELSE '.' || LPAD(CAST(MOD({abs}, 100) AS {text}), 2, '0') END)"
    )
}
