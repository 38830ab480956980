//! Validation rules: a deal cannot be saved in a stage while a field the stage needs is
//! blank, nor beyond a stage whose exit criteria do not hold.

use super::formula::{self, call, string};
use super::names::{api_name, limit, Names, MAX_NAME};
use super::xml::Xml;
use crate::emit::english;
use crate::model::graph::{immediate_dominators, strict_dominators};
use crate::model::{Expr, FieldId, FieldType, Model, Process, Stage, StageId};

const MAX_MESSAGE: usize = 255;
const MAX_DESCRIPTION: usize = 255;

/// One `objects/Opportunity/validationRules/<name>.validationRule-meta.xml`.
pub struct Rule {
    pub name: String,
    pub xml: Vec<u8>,
}

/// The rules for one process, named within `names` (rules share one namespace on Opportunity).
pub fn validation_rules(
    model: &Model,
    process: &Process,
    record_type: &str,
    names: &mut Names,
) -> Vec<Rule> {
    let scope = Scope::new(process, record_type);
    let mut rules = Vec::new();
    for id in process.stage_ids() {
        let stage = process.stage(id);
        let stage_name = api_name(&stage.label, &stage.id, MAX_NAME);
        if let Some(rule) = required_fields_rule(model, &scope, stage) {
            let name = names.claim_parts(&[record_type, &stage_name, "Required"]);
            rules.push(rule.named(name));
        }
        if let Some(rule) = exit_rule(model, &scope, id) {
            let name = names.claim_parts(&[record_type, &stage_name, "Exit"]);
            rules.push(rule.named(name));
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

/// The process a rule belongs to: its record type and its dominator tree.
struct Scope<'a> {
    process: &'a Process,
    record_type: String,
    idom: Vec<Option<usize>>,
}

impl<'a> Scope<'a> {
    fn new(process: &'a Process, record_type: &str) -> Self {
        Scope {
            process,
            record_type: record_type.to_string(),
            idom: immediate_dominators(&process.stages),
        }
    }

    /// `AND(<this record type>, <where>, <what is wrong>)`.
    fn formula(&self, place: String, problem: String) -> String {
        format!(
            "AND(RecordType.DeveloperName = {}, {place}, {problem})",
            string(&self.record_type)
        )
    }

    fn dominates(&self, by: StageId, stage: StageId) -> bool {
        strict_dominators(&self.idom, stage.0).contains(&by.0)
    }
}

fn in_stage(stage: &Stage) -> String {
    format!("ISPICKVAL(StageName, {})", string(&stage.label))
}

/// Any of `stages`, each label once.
fn in_any_stage<'s>(stages: impl Iterator<Item = &'s Stage>) -> Vec<String> {
    let mut tests: Vec<String> = Vec::new();
    for stage in stages {
        let test = in_stage(stage);
        if !tests.contains(&test) {
            tests.push(test);
        }
    }
    tests
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

/// Blocks deals beyond `id` unless its exit criteria hold. "Beyond" is every later stage that
/// only deals from this stage can reach (it dominates them), and, for later stages also
/// reached another way (branches that meet again), the move straight from this stage.
fn exit_rule(model: &Model, scope: &Scope, id: StageId) -> Option<Draft> {
    let process = scope.process;
    let stage = process.stage(id);
    let exit = stage.exit.as_ref()?;
    let later = |to: &StageId| to.0 > id.0 && !process.stage(*to).is_lost();
    let held: Vec<StageId> = process
        .stage_ids()
        .filter(|to| later(to) && scope.dominates(id, *to))
        .collect();
    let moved_to: Vec<StageId> = stage
        .next_ids()
        .filter(|to| later(to) && !held.contains(to))
        .collect();
    let mut places = in_any_stage(held.iter().map(|s| process.stage(*s)));
    if !moved_to.is_empty() {
        let targets = in_any_stage(moved_to.iter().map(|s| process.stage(*s)));
        places.push(format!(
            "AND(ISCHANGED(StageName), ISPICKVAL(PRIORVALUE(StageName), {}), {})",
            string(&stage.label),
            call("OR", targets, "FALSE")
        ));
    }
    if places.is_empty() {
        return None;
    }
    let place = call("OR", places, "FALSE");
    let problem = format!("NOT({})", formula::condition(model, exit));
    Some(Draft {
        description: exit_description(model, scope, stage, exit),
        formula: scope.formula(place, problem),
        message: format!(
            "A deal moves past {} only when {}.",
            stage.label,
            english::condition(model, exit)
        ),
    })
}

fn exit_description(model: &Model, scope: &Scope, stage: &Stage, exit: &Expr) -> String {
    format!(
        "Exit criteria of stage \"{}\" of \"{}\": {}",
        stage.label,
        scope.process.label,
        english::condition(model, exit)
    )
}
