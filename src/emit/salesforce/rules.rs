//! Validation rules: a deal cannot be saved in a stage while a field the stage needs is
//! blank, nor moved forward out of a stage whose exit criteria do not hold, nor moved to a
//! stage its stage does not lead to. Users with the custom permission
//! `Salespath_Bypass_Rules` (data loads, admins fixing records) pass every rule.

use super::formula::{self, call, string, Formulas, MAX_FORMULA};
use super::names::{api_name, fit_words, Names, MAX_NAME};
use super::xml::Xml;
use crate::check::rules::salesforce_formula_limit;
use crate::crm::{stage_value, Crm};
use crate::diag::Diagnostic;
use crate::emit::english;
use crate::model::{CriteriaId, Expr, FieldId, FieldType, Model, Process, Stage, StageId};
use crate::source::Loc;
use std::collections::BTreeSet;

/// Salesforce's limits for a rule's error message and description.
pub const MAX_MESSAGE: usize = 255;
const MAX_DESCRIPTION: usize = 255;

/// The start of every rule's formula: users with this custom permission pass every rule.
pub const BYPASS: &str = "NOT($Permission.Salespath_Bypass_Rules)";

/// One `objects/Opportunity/validationRules/<name>.validationRule-meta.xml`.
pub struct Rule {
    pub name: String,
    pub xml: Vec<u8>,
}

/// The rules for one process, named within `names` (rules share one namespace on Opportunity).
/// A rule whose formula Salesforce cannot hold is a diagnostic in `problems` instead. Each
/// rule's length is linear in what its stage says: its fields, its exit criteria and its
/// own next stages.
pub fn validation_rules(
    formulas: &mut Formulas<'_>,
    process: &Process,
    record_type: &str,
    names: &mut Names,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Rule> {
    let scope = Scope {
        process,
        record_type: record_type.to_string(),
    };
    let mut rules = Vec::new();
    for id in process.stage_ids() {
        let stage = process.stage(id);
        let stage_name = api_name(&stage.label, &stage.id, MAX_NAME);
        // Each rule is named by its process, stage and kind (and field, for a rule per field).
        let mut add = |drafts: Vec<(Vec<String>, Draft)>| {
            for (kind, draft) in drafts {
                let mut parts = vec![record_type, stage_name.as_str()];
                parts.extend(kind.iter().map(String::as_str));
                let name = names.claim_parts(&parts);
                rules.push(draft.named(name));
            }
        };
        match required_fields_rules(formulas.model(), &scope, stage) {
            Ok(drafts) => add(drafts),
            Err(problem) => problems.push(*problem),
        }
        match exit_rules(formulas, &scope, id) {
            Ok(drafts) => add(drafts),
            Err(problem) => problems.push(*problem),
        }
        match transition_rule(&scope, id) {
            Ok(Some(draft)) => add(vec![(vec!["Moves".into()], draft)]),
            Ok(None) => {}
            Err(problem) => problems.push(*problem),
        }
    }
    rules
}

/// What a rule needs before it has a name.
struct Draft {
    description: String,
    formula: String,
    message: String,
}

impl Draft {
    /// A draft whose formula is measured against Salesforce's limit first.
    fn checked(
        description: String,
        formula: String,
        message: String,
        loc: Loc,
        subject: &str,
    ) -> Result<Draft, Box<Diagnostic>> {
        let length = formula.chars().count() as u64;
        if length > MAX_FORMULA {
            return Err(Box::new(salesforce_formula_limit::diagnostic(
                loc, subject, length,
            )));
        }
        Ok(Draft {
            description,
            formula,
            message,
        })
    }

    fn named(self, name: String) -> Rule {
        let mut xml = Xml::document("ValidationRule");
        xml.text("fullName", &name)
            .flag("active", true)
            .text(
                "description",
                &fit_words(&self.description, MAX_DESCRIPTION),
            )
            .text("errorConditionFormula", &self.formula)
            .text("errorMessage", &fit_words(&self.message, MAX_MESSAGE));
        Rule {
            name,
            xml: xml.finish(),
        }
    }
}

/// The process a rule belongs to and its record type.
struct Scope<'a> {
    process: &'a Process,
    record_type: String,
}

impl Scope<'_> {
    /// `<bypass> && (AND(<this record type>, <conditions>...))`: the rule fires when every
    /// condition holds, for a deal of this process, unless the user may bypass rules.
    fn formula(&self, conditions: &[String]) -> String {
        format!(
            "{BYPASS} && (AND(RecordType.DeveloperName = {}, {}))",
            string(&self.record_type),
            conditions.join(", ")
        )
    }

    /// The length of `formula(conditions)` with one more condition of `extra` characters.
    fn length_with(&self, conditions: &[String], extra: u64) -> u64 {
        let mut all = conditions.to_vec();
        all.push(String::new());
        (self.formula(&all).chars().count() as u64).saturating_add(extra)
    }
}

/// The stage's value in Salesforce: what users see in the stage picklist and the Path.
fn shown(stage: &Stage) -> &str {
    stage_value(Crm::Salesforce, stage)
}

fn is_stage(test: &str, stage: &Stage) -> String {
    format!("ISPICKVAL({test}, {})", string(shown(stage)))
}

/// The stage of `process` that a deal leaves: `ISCHANGED` and `PRIORVALUE`, so a rule fires
/// on that move only, never on a later edit of a deal that moved on long ago.
fn leaving(stage: &Stage) -> Vec<String> {
    vec![
        "ISCHANGED(StageName)".into(),
        is_stage("PRIORVALUE(StageName)", stage),
    ]
}

/// Blocks a deal in `stage` while a field of its `required_here` is blank: one rule naming
/// every field, or one rule per field when their names do not fit one message. Checkboxes are
/// left out: Salesforce stores an unticked box as false, never as blank, so "required" cannot
/// be checked for them (and requiring them to be ticked would change the process's meaning).
fn required_fields_rules(
    model: &Model,
    scope: &Scope,
    stage: &Stage,
) -> Result<Vec<(Vec<String>, Draft)>, Box<Diagnostic>> {
    let (checked, checkboxes): (Vec<FieldId>, Vec<FieldId>) = stage
        .required_here
        .iter()
        .partition(|f| model.field(**f).ty != FieldType::Bool);
    if checked.is_empty() {
        return Ok(Vec::new());
    }
    let label = |f: &FieldId| model.field(*f).label.clone();
    let labels: Vec<String> = checked.iter().map(label).collect();
    let mut description = format!(
        "Stage \"{}\" of \"{}\" needs {}.",
        stage.label,
        scope.process.label,
        english::joined(&labels, "and")
    );
    if !checkboxes.is_empty() {
        let boxes: Vec<String> = checkboxes.iter().map(label).collect();
        description.push_str(&format!(
            " Checkboxes are never blank, so {} is not checked.",
            english::joined(&boxes, "and")
        ));
    }
    let message = |labels: &[String]| {
        format!(
            "Fill in {} before moving to {}.",
            english::joined(labels, "and"),
            shown(stage)
        )
    };
    let rule = |fields: &[FieldId], labels: &[String]| {
        let blanks = fields
            .iter()
            .filter_map(|f| formula::is_blank(model, *f))
            .collect();
        let conditions = [is_stage("StageName", stage), call("OR", blanks, "FALSE")];
        Draft::checked(
            description.clone(),
            scope.formula(&conditions),
            message(labels),
            stage.loc,
            &format!("the required fields of stage `{}`", stage.id),
        )
    };
    let whole = rule(&checked, &labels);
    let fits = |d: &Draft| d.message.chars().count() <= MAX_MESSAGE;
    match whole {
        Ok(draft) if fits(&draft) || checked.len() == 1 => {
            Ok(vec![(vec!["Required".into()], draft)])
        }
        _ => checked
            .iter()
            .zip(&labels)
            .map(|(f, l)| {
                let draft = rule(std::slice::from_ref(f), std::slice::from_ref(l))?;
                let field = crate::crm::field_name(Crm::Salesforce, model.field(*f));
                let field = field.strip_suffix("__c").unwrap_or(&field).to_string();
                Ok((vec![field, "Required".into()], draft))
            })
            .collect(),
    }
}

/// Blocks the move out of stage `id` to one of its own later stages (not to lost) unless its
/// exit criteria hold. One rule says what the whole criteria need; when that is too long for
/// one formula or one message, each clause of the criteria (criteria spelt out into their
/// items) gets a rule of its own, so every message says what to fix. The formulas are
/// measured before they are written: criteria that use criteria can make them far too long.
fn exit_rules(
    formulas: &mut Formulas<'_>,
    scope: &Scope,
    id: StageId,
) -> Result<Vec<(Vec<String>, Draft)>, Box<Diagnostic>> {
    let process = scope.process;
    let stage = process.stage(id);
    let Some(exit) = stage.exit.as_ref() else {
        return Ok(Vec::new());
    };
    let mut targets: Vec<String> = Vec::new();
    for to in stage.next_ids() {
        let target = process.stage(to);
        let test = is_stage("StageName", target);
        if to.0 > id.0 && !target.is_lost() && !targets.contains(&test) {
            targets.push(test);
        }
    }
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let model = formulas.model();
    let mut place = leaving(stage);
    place.push(call("OR", targets, "FALSE"));
    // `NOT(<condition>)`
    let whole_length = scope.length_with(&place, formulas.measure(exit).saturating_add(5));
    let clauses = clauses(model, exit);
    let whole_message = exit_message(model, stage, &clauses);
    let description = exit_description(model, scope, stage, exit);
    let draft = |formulas: &mut Formulas<'_>, expr: &Expr, message: String| {
        let mut conditions = place.clone();
        conditions.push(format!("NOT({})", formulas.compile(expr)));
        Draft {
            description: description.clone(),
            formula: scope.formula(&conditions),
            message,
        }
    };
    let too_long = || {
        Box::new(salesforce_formula_limit::diagnostic(
            stage.exit_loc(),
            &format!("the exit criteria of stage `{}`", stage.id),
            whole_length,
        ))
    };
    let whole_fits = whole_length <= MAX_FORMULA && whole_message.chars().count() <= MAX_MESSAGE;
    if whole_fits || clauses.len() < 2 {
        if whole_length > MAX_FORMULA {
            return Err(too_long());
        }
        return Ok(vec![(
            vec!["Exit".into()],
            draft(formulas, exit, whole_message),
        )]);
    }
    let mut drafts = Vec::new();
    for (n, clause) in clauses.iter().enumerate() {
        let length = scope.length_with(&place, formulas.measure(clause).saturating_add(5));
        if length > MAX_FORMULA {
            return Err(too_long());
        }
        let message = exit_message(model, stage, std::slice::from_ref(clause));
        drafts.push((
            vec![format!("Exit_{}", n + 1)],
            draft(formulas, clause, message),
        ));
    }
    Ok(drafts)
}

/// The items of an AND, with every criteria among them spelt out into its own items (each
/// criteria once): the exit criteria as separate requirements.
fn clauses<'m>(model: &'m Model, exit: &'m Expr) -> Vec<&'m Expr> {
    fn walk<'m>(
        model: &'m Model,
        expr: &'m Expr,
        seen: &mut BTreeSet<CriteriaId>,
        out: &mut Vec<&'m Expr>,
    ) {
        let items = match expr {
            Expr::And(..) => expr.chain(),
            other => vec![other],
        };
        for item in items {
            match item {
                Expr::Criteria { criteria, .. } => {
                    if seen.insert(*criteria) {
                        for c in &model.criteria(*criteria).items {
                            walk(model, &c.expr, seen, out);
                        }
                    }
                }
                other => out.push(other),
            }
        }
    }
    let mut out = Vec::new();
    walk(model, exit, &mut BTreeSet::new(), &mut out);
    out
}

/// "Amount must be at least 40,000 and Champion must be filled in to leave Business Case."
/// or, for conditions that are not single tests, "Before leaving Business Case, make sure
/// Plan is Pro or Seats is more than 5."
fn exit_message(model: &Model, stage: &Stage, clauses: &[&Expr]) -> String {
    let requirements: Option<Vec<String>> = clauses
        .iter()
        .map(|c| english::requirement(model, c))
        .collect();
    match requirements {
        Some(requirements) if !requirements.is_empty() => format!(
            "{} to leave {}.",
            english::joined(&requirements, "and"),
            shown(stage)
        ),
        _ => {
            let conditions: Vec<String> = if clauses.len() == 1 {
                vec![english::condition(model, clauses[0])]
            } else {
                clauses
                    .iter()
                    .map(|c| english::conjunct(model, c))
                    .collect()
            };
            format!(
                "Before leaving {}, make sure {}.",
                shown(stage),
                english::joined(&conditions, "and")
            )
        }
    }
}

/// The exit criteria as the end of a sentence: "it meets BANT" for a criteria alone.
fn when(model: &Model, exit: &Expr) -> String {
    match exit {
        Expr::Criteria { criteria, .. } => format!("it {}", english::meets(model, *criteria)),
        other => english::condition(model, other),
    }
}

fn exit_description(model: &Model, scope: &Scope, stage: &Stage, exit: &Expr) -> String {
    format!(
        "Exit criteria of stage \"{}\" of \"{}\": {}",
        stage.label,
        scope.process.label,
        when(model, exit)
    )
}

/// Blocks every move out of stage `id` except to the stages it leads to in the resolved
/// model (its `next:`, or the stage after it, and the stages whose `from:` names it).
/// Saving a deal in the stage it is in is not a move. A stage that leads nowhere (a closed
/// one) keeps its deals; users with the bypass permission can still reopen them.
fn transition_rule(scope: &Scope, id: StageId) -> Result<Option<Draft>, Box<Diagnostic>> {
    let process = scope.process;
    let stage = process.stage(id);
    // Stages of one process may share a Salesforce value: a deal in that value may make
    // the moves of each of them.
    let value = shown(stage);
    let sharing: Vec<&Stage> = process
        .stages
        .iter()
        .filter(|s| shown(s) == value)
        .collect();
    if !std::ptr::eq(sharing[0], stage) {
        return Ok(None);
    }
    let mut allowed: Vec<&str> = Vec::new();
    for from in &sharing {
        for to in from.next_ids() {
            let target = shown(process.stage(to));
            if target != value && !allowed.contains(&target) {
                allowed.push(target);
            }
        }
    }
    let mut conditions = leaving(stage);
    let message = if allowed.is_empty() {
        format!("A deal in {value} cannot move to another stage.")
    } else {
        let tests = allowed
            .iter()
            .map(|v| format!("ISPICKVAL(StageName, {})", string(v)))
            .collect();
        conditions.push(format!("NOT({})", call("OR", tests, "FALSE")));
        let allowed: Vec<String> = allowed.iter().map(|v| v.to_string()).collect();
        format!(
            "A deal in {value} can move only to {}.",
            english::joined(&allowed, "or")
        )
    };
    let description = format!(
        "Moves out of stage \"{}\" of \"{}\" go only to the stages it leads to.",
        stage.label, scope.process.label
    );
    Draft::checked(
        description,
        scope.formula(&conditions),
        message,
        stage.locs.next.unwrap_or(stage.loc),
        &format!("the next stages of stage `{}`", stage.id),
    )
    .map(Some)
}
