//! The views, each a function of the ones before it. Definitions are those of the audit
//! (src/audit/analyze.rs): visits merge consecutive rows of one stage, ordered by time and
//! then by `line`; a deal without history has one visit, from its `deals` row; durations are
//! whole seconds / 86400; the 90th percentile is nearest-rank.

use super::condition::Conditions;
use super::data;
use super::dialect::Dialect;
use super::Settings;
use crate::audit::analyze::fields_checked;
use crate::audit::columns::{column_name, field_column, FileKind, Key};
use crate::audit::findings::RuleId;
use crate::config::Level;
use crate::model::{FieldId, FieldType, Model, Process};

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

/// The relations the views read.
pub const HISTORY: &str = "stage_history";
pub const DEALS: &str = "deals";

pub fn is_input(name: &str) -> bool {
    name == HISTORY || name == DEALS
}

/// A column of an input relation, read through `alias`; a typed null where the mapping says
/// the relation has no such column.
fn input(settings: &Settings, kind: FileKind, key: Key, alias: &str, ty: &str) -> String {
    match column_name(&settings.data, kind, key) {
        Some(column) => format!("{alias}.{}", name(settings.dialect, &column)),
        None => format!("CAST(NULL AS {ty})"),
    }
}

/// The column of `deal_rows` that holds a field's value.
fn field_alias(d: Dialect, model: &Model, field: FieldId) -> String {
    name(d, &format!("field_{}", model.field(field).id))
}

/// A field's value in a condition over the `_deals` view.
pub fn field_reference(d: Dialect, model: &Model, field: FieldId) -> String {
    format!("d.{}", field_alias(d, model, field))
}

/// A field's value typed as the audit reads it: empty text is not set, and text that does
/// not fit the type is not set either.
fn field_value(d: Dialect, ty: &FieldType, column: &str) -> String {
    let text = format!("NULLIF(TRIM(CAST({column} AS {})), '')", d.text());
    match ty {
        FieldType::Text | FieldType::Choice(_) => text,
        FieldType::Date => d.text_date(&text),
        FieldType::Number | FieldType::Currency => d.text_number(&text),
        FieldType::Percent => d.text_number(&format!("TRIM(REPLACE({text}, '%', ''))")),
        FieldType::Bool => format!(
            "CASE WHEN LOWER({text}) IN ('true', '1', 'yes') THEN TRUE\n    \
             WHEN LOWER({text}) IN ('false', '0', 'no') THEN FALSE END"
        ),
    }
}

/// Every view as (name, query). `refer` writes a reference to another view or to an input.
pub fn all(
    model: &Model,
    process: &Process,
    settings: &Settings,
    refer: &dyn Fn(&str) -> String,
) -> Vec<(String, String)> {
    let d = settings.dialect;
    let inputs = settings.inputs;
    let p = &process.id;
    let v = |suffix: &str| refer(&format!("{p}_{suffix}"));
    let (f, text, int) = (d.float(), d.text(), d.integer());
    let days = |a: &str, b: &str| format!("CAST({} AS {f}) / 86400.0", d.seconds_between(a, b));
    let history = |key: Key, ty: &str| input(settings, FileKind::History, key, "h", ty);
    // Fields the checks read, with the deals column that holds each (none: not in the data).
    let checked: Vec<(FieldId, Option<String>)> = if inputs.deals {
        fields_checked(model, process)
            .into_iter()
            .map(|field| (field, field_column(&settings.data, model, field)))
            .collect()
    } else {
        Vec::new()
    };

    let mut views = vec![
        (format!("{p}_process_stages"), data::stages(process, d)),
        (format!("{p}_stage_names"), data::names(process, settings)),
        (format!("{p}_process_next"), data::next(process, d)),
    ];
    let order = "PARTITION BY deal_id ORDER BY entered_at, line_no";
    let mut visit_parts = Vec::new();
    if inputs.history {
        let deal = history(Key::Deal, text);
        let at = history(Key::At, "TIMESTAMP");
        views.push((
            format!("{p}_history_rows"),
            format!(
                "SELECT CAST({deal} AS {text}) AS deal_id, n.stage_index, {at} AS entered_at,\n  \
                 CAST({amount} AS {f}) AS amount, CAST({probability} AS {f}) AS probability, h.line AS line_no\n\
                 FROM {source} AS h\n\
                 JOIN {names} AS n ON n.name = LOWER(TRIM(CAST({stage} AS {text})))\n\
                 WHERE {deal} IS NOT NULL AND CAST({deal} AS {text}) <> '' AND {at} IS NOT NULL",
                stage = history(Key::Stage, text),
                amount = history(Key::Amount, f),
                probability = history(Key::Probability, f),
                names = v("stage_names"),
                source = refer(HISTORY),
            ),
        ));
        visit_parts.push(format!(
            "SELECT deal_id, stage_index, entered_at, line_no,\n  \
             ROW_NUMBER() OVER ({order}) AS visit_no,\n  \
             LAG(stage_index) OVER ({order}) AS from_index,\n  \
             LEAD(entered_at) OVER ({order}) AS next_at,\n  \
             TRUE AS from_history\n\
             FROM (\n  \
               SELECT deal_id, stage_index, entered_at, line_no,\n    \
               LAG(stage_index) OVER ({order}) AS previous_index\n  \
               FROM {rows}\n\
             ) AS marked\n\
             WHERE previous_index IS NULL OR previous_index <> stage_index",
            rows = v("history_rows"),
        ));
    }
    if inputs.deals {
        views.push((
            format!("{p}_deal_rows"),
            deal_rows(model, settings, &checked, &v, refer),
        ));
        let without_history = if inputs.history {
            format!(
                "\nWHERE NOT EXISTS (SELECT 1 FROM {} AS h WHERE h.deal_id = r.deal_id)",
                v("history_rows")
            )
        } else {
            String::new()
        };
        visit_parts.push(format!(
            "SELECT r.deal_id, r.stage_index, COALESCE(r.stage_changed, r.created) AS entered_at, r.line_no,\n  \
             CAST(1 AS {int}) AS visit_no, CAST(NULL AS {int}) AS from_index,\n  \
             CASE WHEN 1 = 0 THEN r.created END AS next_at, FALSE AS from_history\n\
             FROM {rows} AS r{without_history}",
            rows = v("deal_rows"),
        ));
    }
    views.push((format!("{p}_visits"), visit_parts.join("\nUNION ALL\n")));

    views.push((format!("{p}_deals"), deals(model, settings, &checked, &v)));
    // A stage is advanced from when a later visit goes to a won stage or an open stage
    // listed after it (DEALS.md section 4, "forward"); `next_line` is the line of the move
    // out of its first visit, where an unmet `exit:` is reported.
    views.push((
        format!("{p}_deal_stages"),
        format!(
            "SELECT e.deal_id, e.stage_index,\n  \
             MAX(CASE WHEN t.is_won OR (t.is_open AND t.stage_index > e.stage_index) THEN 1 ELSE 0 END) AS advanced,\n  \
             MAX(nx.line_no) AS next_line\n\
             FROM (\n  \
               SELECT deal_id, stage_index, MIN(visit_no) AS first_no FROM {visits} GROUP BY deal_id, stage_index\n\
             ) AS e\n\
             LEFT JOIN {visits} AS v ON v.deal_id = e.deal_id AND v.visit_no > e.first_no\n\
             LEFT JOIN {stages} AS t ON t.stage_index = v.stage_index\n\
             LEFT JOIN {visits} AS nx ON nx.deal_id = e.deal_id AND nx.visit_no = e.first_no + 1\n\
             GROUP BY e.deal_id, e.stage_index",
            visits = v("visits"),
            stages = v("process_stages"),
        ),
    ));
    // The latest time of the history, else the latest entry or creation in `deals`.
    let latest_deal = format!(
        "SELECT MAX(CASE WHEN stage_changed IS NULL OR created > stage_changed THEN created ELSE stage_changed END) FROM {}",
        v("deal_rows")
    );
    let latest_move = format!("SELECT MAX(entered_at) FROM {}", v("history_rows"));
    let as_of = match (inputs.history, inputs.deals) {
        (true, true) => format!("SELECT COALESCE(({latest_move}), ({latest_deal})) AS as_of"),
        (true, false) => format!("SELECT MAX(entered_at) AS as_of FROM {}", v("history_rows")),
        _ => format!("SELECT ({latest_deal}) AS as_of"),
    };
    views.push((format!("{p}_as_of"), as_of));
    views.push((format!("{p}_stages"), stage_figures(d, &v, &days)));
    views.push((
        format!("{p}_kpis"),
        kpi_figures(d, &v, &days, settings.data.target),
    ));
    let findings = findings(model, process, &checked, &v, &days, settings);
    views.push((format!("{p}_findings"), findings));
    views
}

/// One row per deal of `deals`: the first usable row of each, its fields typed.
fn deal_rows(
    model: &Model,
    settings: &Settings,
    checked: &[(FieldId, Option<String>)],
    v: &dyn Fn(&str) -> String,
    refer: &dyn Fn(&str) -> String,
) -> String {
    let d = settings.dialect;
    let (f, text) = (d.float(), d.text());
    let deal_column = |key: Key, ty: &str| input(settings, FileKind::Deals, key, "r", ty);
    let deal = deal_column(Key::Deal, text);
    // Each field typed; a row with a value that does not fit its field's type is left
    // out, as the audit leaves it out (a `bad-row`).
    let mut fields = String::new();
    let mut fits = String::new();
    for (field, column) in checked {
        let Some(column) = column else { continue };
        let column = format!("r.{}", name(d, column));
        let value = field_value(d, &model.field(*field).ty, &column);
        fields.push_str(&format!(
            ",\n    {value} AS {}",
            field_alias(d, model, *field)
        ));
        fits.push_str(&format!(
            "\n    AND (NULLIF(TRIM(CAST({column} AS {text})), '') IS NULL OR {value} IS NOT NULL)"
        ));
    }
    let field_names: String = checked
        .iter()
        .filter(|(_, column)| column.is_some())
        .map(|(field, _)| format!(", {}", field_alias(d, model, *field)))
        .collect();
    // A row of a deal that has history needs no stage; one without needs a known stage.
    let (with_history, usable) = if settings.inputs.history {
        (
            format!(
                "\n  LEFT JOIN (SELECT DISTINCT deal_id FROM {}) AS moved ON moved.deal_id = CAST({deal} AS {text})",
                v("history_rows")
            ),
            "(n.stage_index IS NOT NULL OR moved.deal_id IS NOT NULL)",
        )
    } else {
        (String::new(), "n.stage_index IS NOT NULL")
    };
    format!(
            "SELECT deal_id, stage_index, created, closed, stage_changed, amount, owner, line_no{field_names}\n\
             FROM (\n  \
               SELECT CAST({deal} AS {text}) AS deal_id, n.stage_index,\n    \
               {created} AS created, {closed} AS closed, {stage_changed} AS stage_changed,\n    \
               CAST({amount} AS {f}) AS amount, CAST({owner} AS {text}) AS owner, r.line AS line_no{fields},\n    \
               ROW_NUMBER() OVER (PARTITION BY CAST({deal} AS {text}) ORDER BY r.line) AS copy_no\n  \
               FROM {source} AS r\n  \
               LEFT JOIN {names} AS n ON n.name = LOWER(TRIM(CAST({stage} AS {text}))){with_history}\n  \
               WHERE {deal} IS NOT NULL AND CAST({deal} AS {text}) <> '' AND {usable}{fits}\n\
             ) AS numbered\n\
             WHERE copy_no = 1",
            stage = deal_column(Key::Stage, text),
            created = deal_column(Key::Created, "TIMESTAMP"),
            closed = deal_column(Key::Closed, "TIMESTAMP"),
            stage_changed = deal_column(Key::StageChanged, "TIMESTAMP"),
            amount = deal_column(Key::Amount, f),
            owner = deal_column(Key::Owner, text),
            names = v("stage_names"),
            source = refer(DEALS),
        )
}

/// One row per deal: its status, current stage, amount and, with `deals`, its row's values.
fn deals(
    model: &Model,
    settings: &Settings,
    checked: &[(FieldId, Option<String>)],
    v: &dyn Fn(&str) -> String,
) -> String {
    let (d, inputs) = (settings.dialect, settings.inputs);
    let (created, amount, closed, row_columns, row_join) = if inputs.deals {
        let fields: String = checked
            .iter()
            .filter(|(_, column)| column.is_some())
            .map(|(field, _)| format!(", r.{}", field_alias(d, model, *field)))
            .collect();
        (
            "COALESCE(r.created, a.first_at)",
            if inputs.history {
                "COALESCE(r.amount, m.amount)"
            } else {
                "r.amount"
            },
            "r.closed",
            format!(
                ",\n  r.owner, r.line_no AS row_line, r.deal_id IS NOT NULL AS has_row{fields}"
            ),
            format!(
                "\nLEFT JOIN {} AS r ON r.deal_id = a.deal_id",
                v("deal_rows")
            ),
        )
    } else {
        (
            "a.first_at",
            "m.amount",
            "NULL",
            String::new(),
            String::new(),
        )
    };
    let latest_amount = if inputs.history {
        format!(
            "\nLEFT JOIN (\n  \
               SELECT deal_id, amount FROM (\n    \
                 SELECT deal_id, amount,\n      \
                 ROW_NUMBER() OVER (PARTITION BY deal_id ORDER BY entered_at DESC, line_no DESC) AS rn\n    \
                 FROM {} WHERE amount IS NOT NULL\n  \
               ) AS latest WHERE rn = 1\n\
             ) AS m ON m.deal_id = a.deal_id",
            v("history_rows")
        )
    } else {
        String::new()
    };
    format!(
            "SELECT a.deal_id, {created} AS created, cur.stage_index AS current_index, cur.entered_at,\n  \
             cur.line_no AS entered_line, cur.from_history,\n  \
             CASE WHEN s.is_won THEN 'won' WHEN s.is_lost THEN 'lost' ELSE 'open' END AS status,\n  \
             lo.stage_index AS last_open_index, a.any_won, a.max_open_index, {amount} AS amount,\n  \
             CASE WHEN s.is_open THEN NULL WHEN cur.from_history THEN cur.entered_at ELSE {closed} END AS closed_at{row_columns}\n\
             FROM (\n  \
               SELECT v.deal_id, MIN(v.entered_at) AS first_at, MAX(v.visit_no) AS last_no,\n    \
               MAX(CASE WHEN t.is_open THEN v.visit_no END) AS last_open_no,\n    \
               MAX(CASE WHEN t.is_won THEN 1 ELSE 0 END) AS any_won,\n    \
               MAX(CASE WHEN t.is_open THEN v.stage_index END) AS max_open_index\n  \
               FROM {visits} AS v JOIN {stages} AS t ON t.stage_index = v.stage_index\n  \
               GROUP BY v.deal_id\n\
             ) AS a\n\
             JOIN {visits} AS cur ON cur.deal_id = a.deal_id AND cur.visit_no = a.last_no\n\
             JOIN {stages} AS s ON s.stage_index = cur.stage_index\n\
             LEFT JOIN {visits} AS lo ON lo.deal_id = a.deal_id AND lo.visit_no = a.last_open_no{latest_amount}{row_join}",
            visits = v("visits"),
            stages = v("process_stages"),
    )
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
    // Money figures are null when no deal has an amount, else sums (0 for none).
    let open_sum = |value: &str, cond: &str| {
        format!(
            "CASE WHEN MAX(d.amount) IS NOT NULL\n      \
             THEN COALESCE(SUM(CASE WHEN d.status = 'open'{cond} THEN {value} END), CAST(0 AS {f})) END"
        )
    };
    let open_amount = |cond: &str| open_sum("d.amount", cond);
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
           {weighted} AS weighted_pipeline,\n    \
           {pipeline} AS forecast_pipeline,\n    \
           {best_case} AS forecast_best_case,\n    \
           {commit} AS forecast_commit\n  \
           FROM {deals} AS d JOIN {stages} AS s ON s.stage_index = d.current_index\n\
         ) AS k\n\
         CROSS JOIN (\n  \
           SELECT AVG(cycle) AS cycle_days, {median} AS cycle_days_median\n  \
           FROM (\n    \
             SELECT cycle, ROW_NUMBER() OVER (ORDER BY cycle) AS rn, COUNT(*) OVER () AS n\n    \
             FROM (\n      \
               SELECT {cycle} AS cycle FROM {deals} AS d\n      \
               WHERE d.status = 'won' AND d.created IS NOT NULL AND d.closed_at IS NOT NULL\n    \
             ) AS won\n  \
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
        weighted = open_sum("d.amount * s.weight / 100.0", ""),
        pipeline = open_amount(" AND s.forecast = 'pipeline'"),
        best_case = open_amount(" AND s.forecast = 'best_case'"),
        commit = open_amount(" AND s.forecast = 'commit'"),
        deals = v("deals"),
        stages = v("process_stages"),
        as_of_view = v("as_of"),
        median = median("cycle"),
        cycle = days("d.created", "d.closed_at"),
    )
}

/// One row per rule and subject, with its count and the first example in file order
/// (history before deals).
fn findings(
    model: &Model,
    process: &Process,
    checked: &[(FieldId, Option<String>)],
    v: &dyn Fn(&str) -> String,
    days: &dyn Fn(&str, &str) -> String,
    settings: &Settings,
) -> String {
    let d = settings.dialect;
    let inputs = settings.inputs;
    let n = |s: &str| name(d, s);
    let (f, text, int) = (d.float(), d.text(), d.integer());
    let null_text = format!("CAST(NULL AS {text})");
    let null_int = format!("CAST(NULL AS {int})");
    let first_stage = process.stages.first().map_or("", |s| s.id.as_str());
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
    // Each part gives: stage, to_stage, field, value, kind, noun (null: the detail is the
    // whole message), detail, deal_id, file, line_no.
    let no_field = &null_text;
    if inputs.history {
        add(
            RuleId::WrongEntry,
            format!(
                "s.id AS stage, {null_text} AS to_stage, {no_field} AS field, {null_int} AS value, {null_text} AS kind,\n    \
                 'deal' AS noun, ' entered the process at `' || s.id || {first} AS detail,\n    \
                 v.deal_id, 'history' AS file, v.line_no\n  \
                 FROM {visits} AS v JOIN {stages} AS s ON s.stage_index = v.stage_index\n  \
                 WHERE v.visit_no = 1 AND v.stage_index <> 0 AND v.from_history",
                visits = v("visits"),
                first = d.string(&format!("`, not at its first stage `{first_stage}`")),
            ),
        );
        add(
            RuleId::IllegalMove,
            format!(
                "s.id AS stage, t.id AS to_stage, {no_field} AS field, {null_int} AS value,\n    \
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
                 v.deal_id, 'history' AS file, v.line_no\n  \
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
    }
    add(
        RuleId::StaleDeal,
        format!(
            "s.id AS stage, {null_text} AS to_stage, {no_field} AS field, {null_int} AS value, {null_text} AS kind,\n    \
             'deal' AS noun,\n    \
             ' open in `' || s.id || '` for longer than its `stale_after` of ' || s.stale_after_text AS detail,\n    \
             d.deal_id, CASE WHEN d.from_history THEN 'history' ELSE 'deals' END AS file, d.entered_line AS line_no\n  \
             FROM {deals} AS d JOIN {stages} AS s ON s.stage_index = d.current_index\n  \
             CROSS JOIN {as_of} AS a\n  \
             WHERE d.status = 'open' AND {stale} > s.stale_after_days",
            deals = v("deals"),
            as_of = v("as_of"),
            stale = days("d.entered_at", "a.as_of"),
        ),
    );
    if inputs.history {
        add(
            RuleId::ProbabilityMismatch,
            format!(
                "s.id AS stage, {null_text} AS to_stage, {no_field} AS field, CAST(ROUND(r.probability * 100) AS {int}) AS value,\n    \
                 {null_text} AS kind, 'history row' AS noun,\n    \
                 ' of `' || s.id || '` recorded a probability of ' || {recorded} ||\n    \
                 {not_the_stages} || s.probability_text || '%' AS detail,\n    \
                 r.deal_id, 'history' AS file, r.line_no\n  \
                 FROM {rows} AS r JOIN {stages} AS s ON s.stage_index = r.stage_index\n  \
                 WHERE r.probability IS NOT NULL AND s.probability IS NOT NULL\n    \
                 AND ROUND(r.probability * 100) <> ROUND(s.probability * 100)",
                rows = v("history_rows"),
                recorded = hundredths_text(d, &format!("CAST(ROUND(r.probability * 100) AS {int})")),
                not_the_stages = d.string("%, not the stage's "),
            ),
        );
    }
    if inputs.deals {
        let held = |field: FieldId| {
            checked
                .iter()
                .any(|(f, column)| *f == field && column.is_some())
        };
        // One pass over the deals for all stages: each row of `required` picks its column.
        let mut pairs: Vec<(usize, &str)> = Vec::new();
        let mut pick = String::new();
        let mut picked = std::collections::BTreeSet::new();
        for (i, stage) in process.stages.iter().enumerate() {
            for field in stage.required_here.iter().filter(|f| held(**f)) {
                let id = model.field(*field).id.as_str();
                pairs.push((i, id));
                if picked.insert(id) {
                    pick.push_str(&format!(
                        "\n      WHEN {} THEN d.{} IS NULL",
                        d.string(id),
                        field_alias(d, model, *field)
                    ));
                }
            }
        }
        if !pairs.is_empty() {
            add(
                RuleId::MissingRequired,
                format!(
                    "s.id AS stage, {null_text} AS to_stage, q.field AS field, {null_int} AS value, {null_text} AS kind,\n    \
                     'deal' AS noun,\n    \
                     ' in `' || s.id || '` without a value for `' || q.field || '`, which is required there' AS detail,\n    \
                     d.deal_id, 'deals' AS file, d.row_line AS line_no\n  \
                     FROM {deals} AS d\n  \
                     JOIN (\n{required}\n  ) AS q ON q.stage_index = d.current_index\n  \
                     JOIN {stages} AS s ON s.stage_index = d.current_index\n  \
                     WHERE d.has_row AND CASE q.field{pick}\n      ELSE FALSE END",
                    deals = v("deals"),
                    required = data::required(&pairs, d),
                ),
            );
        }
        if inputs.history {
            let column =
                |field: FieldId| held(field).then(|| format!("d.{}", field_alias(d, model, field)));
            let mut conditions = Conditions::new(model, d, &column);
            let mut unmet = String::new();
            for (i, stage) in process.stages.iter().enumerate() {
                let Some(exit) = &stage.exit else { continue };
                // An exit too large for SQL is left out, with a warning from `findings`.
                let Ok(holds) = conditions.compile(exit) else {
                    continue;
                };
                unmet.push_str(&format!("\n      WHEN {i} THEN NOT {holds}"));
            }
            if !unmet.is_empty() {
                // An exit that is unknown (a field the data lacks) reports nothing: `NOT
                // NULL` is null, which `WHERE` drops.
                add(
                    RuleId::ExitNotMet,
                    format!(
                        "s.id AS stage, {null_text} AS to_stage, {no_field} AS field, {null_int} AS value, {null_text} AS kind,\n    \
                         'deal' AS noun,\n    \
                         ' moved forward from `' || s.id || '` while its `exit:` is false on their values' AS detail,\n    \
                         d.deal_id, 'history' AS file, ds.next_line AS line_no\n  \
                         FROM {deal_stages} AS ds\n  \
                         JOIN {deals} AS d ON d.deal_id = ds.deal_id\n  \
                         JOIN {stages} AS s ON s.stage_index = ds.stage_index\n  \
                         WHERE ds.advanced = 1 AND d.has_row AND d.from_history\n    \
                         AND CASE ds.stage_index{unmet}\n      ELSE FALSE END",
                        deal_stages = v("deal_stages"),
                        deals = v("deals"),
                    ),
                );
            }
        }
        for (field, _) in checked.iter().filter(|(_, column)| column.is_none()) {
            let id = &model.field(*field).id;
            add(
                RuleId::FieldNotInData,
                format!(
                    "{null_text} AS stage, {null_text} AS to_stage, {field_id} AS field, {null_int} AS value, {null_text} AS kind,\n    \
                     {null_text} AS noun, {message} AS detail,\n    \
                     {null_text} AS deal_id, {null_text} AS file, {null_int} AS line_no\n  \
                     FROM (SELECT 1 AS one) AS field",
                    field_id = d.string(id),
                    message = d.string(&format!(
                        "no column of the deals file holds `{id}`, which the process reads; it was not checked"
                    )),
                ),
            );
        }
    }
    let found = if parts.is_empty() {
        format!(
            "SELECT {null_text} AS rule, {null_text} AS severity, {null_text} AS stage, \
             {null_text} AS to_stage, {null_text} AS field, {null_int} AS value, {null_text} AS kind, \
             {null_text} AS noun, {null_text} AS detail, {null_text} AS deal_id, {null_text} AS file, \
             {null_int} AS line_no FROM (SELECT 1 AS one) AS empty WHERE 1 = 0"
        )
    } else {
        parts.join("\n  UNION ALL\n  ")
    };
    format!(
        "SELECT rule AS {rule}, severity AS {severity}, COUNT(*) AS {count}, stage AS {stage},\n  \
         to_stage AS {to}, field AS {field}, CAST(value AS {f}) / 100.0 AS {value}, kind AS {kind},\n  \
         CASE WHEN noun IS NULL THEN detail WHEN COUNT(*) = 1 THEN '1 ' || noun || detail\n    \
         ELSE CAST(COUNT(*) AS {text}) || ' ' || noun || 's' || detail END AS {message},\n  \
         MAX(CASE WHEN rn = 1 THEN deal_id END) AS {example_deal},\n  \
         MAX(CASE WHEN rn = 1 THEN file END) AS {example_file},\n  \
         MAX(CASE WHEN rn = 1 THEN line_no END) AS {example_line}\n\
         FROM (\n  \
           SELECT found.*, ROW_NUMBER() OVER (\n    \
             PARTITION BY rule, stage, to_stage, field, value\n    \
             ORDER BY CASE WHEN file = 'history' THEN 0 ELSE 1 END, line_no) AS rn\n  \
           FROM (\n  {found}\n  ) AS found\n\
         ) AS numbered\n\
         GROUP BY rule, severity, stage, to_stage, field, value, kind, noun, detail",
        rule = n("rule"),
        severity = n("severity"),
        count = n("count"),
        stage = n("stage"),
        to = n("to"),
        field = n("field"),
        value = n("value"),
        kind = n("kind"),
        message = n("message"),
        example_deal = n("example_deal"),
        example_file = n("example_file"),
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
