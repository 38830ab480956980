//! Turning pest's errors into `syntax` diagnostics that name what was expected, in words.

use super::hints::{self, Failure};
use super::scan::Blocks;
use super::Rule;
use crate::diag::{closest, Diagnostic};
use crate::source::{floor_char_boundary, FileId, Loc, Span};
use pest::error::{ErrorVariant, InputLocation};

/// The diagnostic for a parse of `text[offset..]` that failed; also returns where it failed.
pub fn from_pest(
    file: FileId,
    text: &str,
    offset: usize,
    error: &pest::error::Error<Rule>,
    blocks: &mut Blocks<'_>,
) -> (Diagnostic, usize) {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = floor_char_boundary(text, (offset + pos).min(text.len()));
    (diagnose(file, text, pos, error, blocks), pos)
}

fn diagnose(
    file: FileId,
    text: &str,
    pos: usize,
    error: &pest::error::Error<Rule>,
    blocks: &mut Blocks<'_>,
) -> Diagnostic {
    let found = found_at(text, pos);
    let positives: Vec<Rule> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    // At the very start pest names no alternatives; a file starts with a declaration there.
    let positives = if positives.iter().all(|r| *r == Rule::file) {
        TOP_LEVEL.to_vec()
    } else {
        positives
    };
    let failure = Failure {
        file,
        text,
        pos,
        found,
        positives: &positives,
    };
    if let Some(diagnostic) = hints::specific(&failure, blocks) {
        return diagnostic;
    }
    let span = Span::new(pos, pos + found.len());
    let loc = Loc::new(file, span);
    let expected = describe(&positives);
    let found_text = if found.is_empty() {
        "the end of the file".to_string()
    } else {
        format!("`{}`", shorten(found))
    };
    let message = format!("expected {expected}, found {found_text}");

    let keywords: Vec<&str> = positives.iter().filter_map(|r| human_keyword(*r)).collect();
    let is_word = found
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic());
    let help = if let Some(best) = is_word
        .then(|| closest(found, keywords.iter().copied()))
        .flatten()
    {
        format!("did you mean `{best}`?")
    } else if let Some(percent) = positives
        .contains(&Rule::percentage)
        .then(|| as_percentage(found))
        .flatten()
    {
        format!("write the probability as a percentage: `{percent}`")
    } else if positives.contains(&Rule::duration) {
        "write a whole number and a unit: `36h`, `5d` or `2w`".to_string()
    } else if found.starts_with('"') && positives.contains(&Rule::string) {
        "close the text with `\"` on the same line, or use `\"\"\"` for text over several lines"
            .to_string()
    } else if found.is_empty() {
        "a block may be missing its closing `}`".to_string()
    } else {
        format!("write {expected} here")
    };
    Diagnostic::new(crate::rule::Rule::Syntax, loc, message)
        .label("not valid here")
        .help(help)
}

/// The token-like text at `pos`: a word, a quoted string's opening, or one character.
fn found_at(text: &str, pos: usize) -> &str {
    let rest = &text[pos..];
    let word_len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '%' || *c == '.'))
        .map_or(rest.len(), |(i, _)| i);
    if word_len > 0 {
        return &rest[..word_len];
    }
    match rest.chars().next() {
        Some(c) => &rest[..c.len_utf8()],
        None => "",
    }
}

fn shorten(found: &str) -> String {
    if found.chars().count() > 40 {
        let cut: String = found.chars().take(40).collect();
        format!("{cut}…")
    } else {
        found.escape_debug().to_string()
    }
}

/// `0.6` as `60%` (a fraction), `60` as `60%`.
fn as_percentage(found: &str) -> Option<String> {
    let value: f64 = found.replace('_', "").parse().ok()?;
    if !found.starts_with(|c: char| c.is_ascii_digit()) || !value.is_finite() {
        return None;
    }
    if found.contains('.') && value <= 1.0 {
        let percent = (value * 100.0 * 1e6).round() / 1e6;
        Some(format!("{percent}%"))
    } else {
        Some(format!("{found}%"))
    }
}

const TOP_LEVEL: [Rule; 8] = [
    Rule::kw_import,
    Rule::kw_role,
    Rule::kw_field,
    Rule::kw_tool,
    Rule::kw_segment,
    Rule::kw_criteria,
    Rule::kw_scoring,
    Rule::kw_process,
];

/// Says in words what pest expected, naming a kind of thing rather than listing dozens.
fn describe(positives: &[Rule]) -> String {
    let has = |r: Rule| positives.contains(&r);
    if has(Rule::kw_probability) {
        return "a stage property (such as `owner`, `probability`, `next`) or `}`".into();
    }
    if has(Rule::kw_process) && has(Rule::kw_role) {
        return "a declaration (`import`, `role`, `field`, `tool`, `segment`, `criteria`, `scoring` or `process`)".into();
    }
    if has(Rule::kw_stage) && has(Rule::kw_model) {
        return "a process property (`model`, `owner`, `description`, `segments`, `renamed_from`), `stage`, `remove stage` or `}`".into();
    }
    if has(Rule::kw_salesforce) {
        return "a field property (`description`, `salesforce`, `hubspot`, `pipedrive`, `renamed_from`) or `}`"
            .into();
    }
    if has(Rule::kw_kind) {
        return "a tool property (`kind`, `link`, `description`) or `}`".into();
    }
    if has(Rule::kw_threshold) {
        return "points such as `+20 when ...`, `threshold:` or `}`".into();
    }
    if has(Rule::kw_task) {
        return "an action (`task \"...\"`, `email \"...\"` or `notify ROLE`)".into();
    }
    let mut names: Vec<String> = Vec::new();
    for rule in positives {
        let name = human(*rule);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.len() {
        0 => "something else".into(),
        1 => names.remove(0),
        n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

pub(super) fn human_keyword(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        kw_import => "import",
        kw_role => "role",
        kw_field => "field",
        kw_tool => "tool",
        kw_segment => "segment",
        kw_criteria => "criteria",
        kw_scoring => "scoring",
        kw_process => "process",
        kw_extends => "extends",
        kw_remove => "remove",
        kw_stage => "stage",
        kw_choice => "choice",
        kw_salesforce => "salesforce",
        kw_hubspot => "hubspot",
        kw_pipedrive => "pipedrive",
        kw_renamed_from => "renamed_from",
        kw_kind => "kind",
        kw_link => "link",
        kw_description => "description",
        kw_when => "when",
        kw_threshold => "threshold",
        kw_model => "model",
        kw_segments => "segments",
        kw_owner => "owner",
        kw_probability => "probability",
        kw_forecast => "forecast",
        kw_objective => "objective",
        kw_expected => "expected",
        kw_stale_after => "stale_after",
        kw_activities => "activities",
        kw_tools => "tools",
        kw_requires => "requires",
        kw_exit => "exit",
        kw_follow_up => "follow_up",
        kw_after => "after",
        kw_entered => "entered",
        kw_exited => "exited",
        kw_stale => "stale",
        kw_task => "task",
        kw_for => "for",
        kw_due => "due",
        kw_email => "email",
        kw_notify => "notify",
        kw_guidance => "guidance",
        kw_next => "next",
        kw_from => "from",
        kw_outcome => "outcome",
        kw_any => "any",
        kw_is => "is",
        kw_not | op_not => "not",
        kw_set => "set",
        kw_in => "in",
        kw_true => "true",
        kw_false => "false",
        op_and => "and",
        op_or => "or",
        _ => return None,
    })
}

fn human(rule: Rule) -> String {
    if let Some(k) = human_keyword(rule) {
        return format!("`{k}`");
    }
    use Rule::*;
    match rule {
        EOI => "the end of the file",
        ident | ident_list => "a name (lowercase letters, digits and `_`)",
        string => "text in quotes",
        percentage => "a percentage such as `30%`",
        number => "a number",
        points => "points such as `+20` or `-10`",
        duration => "a duration such as `36h`, `5d` or `2w`",
        compare_op => "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
        expr | condition | group => "a condition",
        is_set | is_not_set => "`is set`",
        comparison => "a comparison",
        membership => "`in [...]`",
        field_type | choice_type => "a field type",
        event => "`entered`, `exited` or `stale`",
        _ => "something else",
    }
    .to_string()
}
