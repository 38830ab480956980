//! Validation rules: a deal cannot be saved in a stage while a field the stage needs is
//! blank, nor moved forward out of a stage whose exit criteria do not hold.

use super::formula::{self, call, string, Formulas, MAX_FORMULA};
use super::names::{api_name, limit, Names, MAX_NAME};
use super::xml::Xml;
use crate::check::rules::salesforce_formula_limit;
use crate::crm::{stage_value, Crm};
use crate::diag::Diagnostic;
use crate::emit::english;
use crate::model::{Expr, FieldId, FieldType, Model, Process, Stage, StageId};

const MAX_MESSAGE: usize = 255;
const MAX_DESCRIPTION: usize = 255;

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
    let model = formulas.model();
    let scope = Scope {
        process,
        record_type: record_type.to_string(),
    };
    let mut rules = Vec::new();
    for id in process.stage_ids() {
        let stage = process.stage(id);
        let stage_name = api_name(&stage.label, &stage.id, MAX_NAME);
        if let Some(rule) = required_fields_rule(model, &scope, stage) {
            let subject = format!("the required fields of stage `{}`", stage.id);
            match within_limit(rule, stage, &subject) {
                Ok(rule) => {
                    let name = names.claim_parts(&[record_type, &stage_name, "Required"]);
                    rules.push(rule.named(name));
                }
                Err(problem) => problems.push(*problem),
            }
        }
        match exit_rule(formulas, &scope, id) {
            Ok(Some(rule)) => {
                let name = names.claim_parts(&[record_type, &stage_name, "Exit"]);
                rules.push(rule.named(name));
            }
            Ok(None) => {}
            Err(problem) => problems.push(*problem),
        }
    }
    rules
}

fn within_limit(draft: Draft, stage: &Stage, subject: &str) -> Result<Draft, Box<Diagnostic>> {
    let length = draft.formula.chars().count() as u64;
    if length > MAX_FORMULA {
        Err(Box::new(salesforce_formula_limit::diagnostic(
            stage.loc, subject, length,
        )))
    } else {
        Ok(draft)
    }
}

/// What a rule needs before it has a name.
struct Draft {
    description: String,
    formula: String,
    message: String,
}

impl Draft {
    fn named(self, name: String) -> Rule {
        let mut xml = Xml::document("ValidationRule");
        xml.text("fullName", &name)
            .flag("active", true)
            .text("description", &limit(&self.description, MAX_DESCRIPTION))
            .text("errorConditionFormula", &self.formula)
            .text("errorMessage", &limit(&self.message, MAX_MESSAGE));
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
    /// `AND(<this record type>, <where>, <what is wrong>)`.
    fn formula(&self, place: String, problem: String) -> String {
        format!("{}, {place}, {problem})", self.prefix())
    }

    fn prefix(&self) -> String {
        format!(
            "AND(RecordType.DeveloperName = {}",
            string(&self.record_type)
        )
    }
}

fn in_stage(stage: &Stage) -> String {
    format!(
        "ISPICKVAL(StageName, {})",
        string(stage_value(Crm::Salesforce, stage))
    )
}

/// Blocks a deal in `stage` while a field of its `required_here` is blank. Checkboxes are
/// left out: Salesforce stores an unticked box as false, never as blank, so "required" cannot
/// be checked for them (and requiring them to be ticked would change the process's meaning).
fn required_fields_rule(model: &Model, scope: &Scope, stage: &Stage) -> Option<Draft> {
    let (checked, checkboxes): (Vec<&FieldId>, Vec<&FieldId>) = stage
        .required_here
        .iter()
        .partition(|f| model.field(**f).ty != FieldType::Bool);
    if checked.is_empty() {
        return None;
    }
    let blanks = checked
        .iter()
        .filter_map(|f| formula::is_blank(model, **f))
        .collect();
    let labels: Vec<&str> = checked
        .iter()
        .map(|f| model.field(**f).label.as_str())
        .collect();
    let mut description = format!(
        "Stage \"{}\" of \"{}\" needs {}.",
        stage.label,
        scope.process.label,
        labels.join(", ")
    );
    if !checkboxes.is_empty() {
        let boxes: Vec<&str> = checkboxes
            .iter()
            .map(|f| model.field(**f).label.as_str())
            .collect();
        description.push_str(&format!(
            " Checkboxes are never blank, so {} is not checked.",
            boxes.join(", ")
        ));
    }
    Some(Draft {
        description,
        formula: scope.formula(in_stage(stage), call("OR", blanks, "FALSE")),
        message: format!(
            "Fill in {} before saving a deal in {}.",
            labels.join(", "),
            stage.label
        ),
    })
}

/// Blocks the move out of stage `id` to one of its own later stages (not to lost) unless its
/// exit criteria hold. It fires on that move only (`ISCHANGED` and `PRIORVALUE`), never on a
/// later edit of a deal that moved on long ago. The formula is measured before it is written:
/// criteria are spelled out in full, and criteria that use criteria can make it far too long.
fn exit_rule(
    formulas: &mut Formulas<'_>,
    scope: &Scope,
    id: StageId,
) -> Result<Option<Draft>, Box<Diagnostic>> {
    let process = scope.process;
    let stage = process.stage(id);
    let Some(exit) = stage.exit.as_ref() else {
        return Ok(None);
    };
    let mut targets: Vec<String> = Vec::new();
    for to in stage.next_ids() {
        let target = process.stage(to);
        let test = in_stage(target);
        if to.0 > id.0 && !target.is_lost() && !targets.contains(&test) {
            targets.push(test);
        }
    }
    if targets.is_empty() {
        return Ok(None);
    }
    let place = format!(
        "ISCHANGED(StageName), ISPICKVAL(PRIORVALUE(StageName), {}), {}",
        string(stage_value(Crm::Salesforce, stage)),
        call("OR", targets, "FALSE")
    );
    // `<prefix>, <place>, NOT(<condition>))`
    let fixed = scope.prefix().chars().count() + place.chars().count() + 2 + 5 + 2;
    let length = formulas.measure(exit).saturating_add(fixed as u64);
    if length > MAX_FORMULA {
        return Err(Box::new(salesforce_formula_limit::diagnostic(
            exit_loc(stage, exit),
            &format!("the exit criteria of stage `{}`", stage.id),
            length,
        )));
    }
    let problem = format!("NOT({})", formulas.compile(exit));
    let model = formulas.model();
    Ok(Some(Draft {
        description: exit_description(model, scope, stage, exit),
        formula: scope.formula(place, problem),
        message: format!(
            "A deal moves past {} only when {}.",
            stage.label,
            when(model, exit)
        ),
    }))
}

/// Where the exit criteria are written: the criteria or test itself when it is one.
fn exit_loc(stage: &Stage, exit: &Expr) -> crate::source::Loc {
    match exit {
        Expr::Criteria { loc, .. } | Expr::Field { loc, .. } => *loc,
        _ => stage.locs.exit.unwrap_or(stage.loc),
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
