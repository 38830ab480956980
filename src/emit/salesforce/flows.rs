//! Stage automation as record-triggered flows on Opportunity, run after save.
//!
//! The entry flow of a stage starts when a deal of the process enters it: `when entered:`
//! actions run right away, each `follow_up`, `when stale: notify` and delayed entry email on a
//! scheduled path, which Salesforce cancels when the deal leaves the stage first.
//!
//! The exit flow of a stage starts when a deal leaves it. A flow cannot tell "just left X" on
//! a later edit (`ISCHANGED` and `$Record__Prior` only describe the edit being saved), and
//! Salesforce drops a pending scheduled path as soon as an edit no longer meets the entry
//! condition; so a delayed exit email keyed on the stage change itself would be dropped by
//! the next ordinary edit. Instead a before-save flow keeps the stage a deal was in before its
//! last stage change in [`PREVIOUS_STAGE_FIELD`], and the exit flow of X starts when that
//! field becomes X. The condition holds until the next stage change, so a delayed exit email
//! is sent unless the deal changes stage again before it is due.
//!
//! Tasks go to the deal owner; emails use the org's email template whose unique name
//! (`DeveloperName`) is [`template_name`] of the name written, and are sent to the owner. A
//! flow looks the template up and skips the email when there is none, so it deploys and runs
//! before the template is created. `notify ROLE` becomes a Task for the owner naming the role.

use super::formula::string;
use super::names::{api_name, limit};
use super::xml::Xml;
use crate::crm::{stage_value, Crm};
use crate::emit::markdown::code;
use crate::model::{Action, Model, Process, Stage, Trigger};
use crate::value::Duration;

/// Salesforce's limits for a flow's label and description, an element's label and a Task's
/// subject.
const MAX_LABEL: usize = 80;
const MAX_DESCRIPTION: usize = 255;
const MAX_SUBJECT: usize = 255;
/// Salesforce's limit for an email template's unique name.
const MAX_TEMPLATE_NAME: usize = 80;

/// The Opportunity field holding the stage a deal left at its last stage change.
pub const PREVIOUS_STAGE_FIELD: &str = "Salespath_Previous_Stage__c";
/// The before-save flow that fills [`PREVIOUS_STAGE_FIELD`].
pub const PREVIOUS_STAGE_FLOW: &str = "Opportunity_Previous_Stage";

/// A Task the flow creates.
struct TaskPlan {
    subject: String,
    /// Days from the day it is created to its due date.
    due_days: Option<u64>,
}

/// An email the flow sends with an email template, to the deal owner.
struct EmailPlan {
    /// The template's name as written.
    template: String,
}

enum Step {
    Task(TaskPlan),
    Email(EmailPlan),
}

/// A scheduled path: its offset from the moment the flow started, and its steps.
struct PathPlan {
    offset: Duration,
    steps: Vec<Step>,
}

/// What one flow does: steps right away, then scheduled paths in order of their offsets.
#[derive(Default)]
pub struct FlowPlan {
    immediate: Vec<Step>,
    scheduled: Vec<PathPlan>,
    /// Labels of the roles whose work its Tasks stand for.
    pub roles: Vec<String>,
}

impl FlowPlan {
    /// True when the plan needs a flow.
    pub fn is_needed(&self) -> bool {
        !self.immediate.is_empty() || !self.scheduled.is_empty()
    }

    fn run(&mut self, after: Option<Duration>, step: Step) {
        match after {
            None => self.immediate.push(step),
            Some(offset) => schedule(offset, step, &mut self.scheduled),
        }
    }

    fn name_role(&mut self, label: &str) {
        if !self.roles.iter().any(|r| r == label) {
            self.roles.push(label.to_string());
        }
    }
}

/// What the flows of one stage do, and what they leave to the checklist.
pub struct StageAutomation {
    /// Runs when a deal enters the stage.
    pub entry: FlowPlan,
    /// Runs when a deal leaves the stage.
    pub exit: FlowPlan,
    /// Checklist items (Markdown) for what the flows cannot do by themselves.
    pub by_hand: Vec<String>,
}

/// Which way a flow watches its stage.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Entry,
    Exit,
}

/// Whole days, rounding part of a day up: a Task due in 36 hours is due in two days.
fn whole_days(duration: Duration) -> u64 {
    duration.hours.div_ceil(24)
}

/// `3 days`, `1 day`, `5 hours`.
fn spoken(duration: Duration) -> String {
    let (count, unit) = if duration.hours.is_multiple_of(24) {
        (duration.hours / 24, "day")
    } else {
        (duration.hours, "hour")
    };
    format!("{count} {unit}{}", if count == 1 { "" } else { "s" })
}

/// The unique name (`DeveloperName`) of the email template the flows look for: the name as
/// written with each run of characters other than ASCII letters and digits made one
/// underscore, so `demo-recap` is `demo_recap`.
pub fn template_name(template: &str) -> String {
    api_name(template, "Template", MAX_TEMPLATE_NAME)
}

/// What the stage's automations and follow-ups become.
pub fn plan(model: &Model, process: &Process, stage: &Stage) -> StageAutomation {
    let mut automation = StageAutomation {
        entry: FlowPlan::default(),
        exit: FlowPlan::default(),
        by_hand: Vec::new(),
    };
    let value = stage_value(Crm::Salesforce, stage);
    let where_ = format!("stage {} of process {}", code(value), code(&process.label));
    // Roles a stale reminder already tells: one Task per role.
    let mut told: Vec<&str> = Vec::new();
    for item in &stage.automations {
        let (flow, start) = match item.trigger {
            Trigger::Entered => (&mut automation.entry, None),
            Trigger::Exited => (&mut automation.exit, None),
            Trigger::Stale => match stage.stale_after {
                Some(after) => (&mut automation.entry, Some(after)),
                None => {
                    let item = format!(
                        "`when stale` in {where_} has no `stale_after:`, so no flow runs it: \
                         set `stale_after:` or build the reminder by hand."
                    );
                    if !automation.by_hand.contains(&item) {
                        automation.by_hand.push(item);
                    }
                    continue;
                }
            },
        };
        match &item.action {
            Action::Notify { role } => {
                let label = &model.role(*role).label;
                if item.trigger == Trigger::Stale {
                    if told.contains(&label.as_str()) {
                        continue;
                    }
                    told.push(label);
                }
                flow.name_role(label);
                let what = match start {
                    Some(after) => format!("has been in {value} for {}", spoken(after)),
                    None => format!("{} {value}", trigger_phrase(item.trigger)),
                };
                flow.run(start, task(&format!("Deal {what}: tell {label}"), None));
            }
            Action::Task { text, role, due } => {
                if let Some(role) = role {
                    flow.name_role(&model.role(*role).label);
                }
                flow.run(start, task(text, *due));
            }
            Action::Email { template, after } => {
                let delay = match (start, after) {
                    (Some(a), Some(b)) => Some(Duration {
                        hours: a.hours.saturating_add(b.hours),
                    }),
                    (a, b) => a.or(*b),
                };
                let when = match (item.trigger, delay) {
                    (Trigger::Stale, Some(d)) => {
                        format!("once a deal has been in {where_} for {}", spoken(d))
                    }
                    (trigger, None) => {
                        format!(
                            "right away when a deal is {} {where_}",
                            trigger_phrase(trigger)
                        )
                    }
                    (trigger, Some(d)) => format!(
                        "{} after a deal is {} {where_}",
                        spoken(d),
                        trigger_phrase(trigger)
                    ),
                };
                automation.by_hand.push(format!(
                    "Create the email template {} with the Template Unique Name {} (Setup > \
                     Email Templates, on Opportunity). The generated flow sends it to the deal \
                     owner {when}; until a template with that unique name exists, the flow \
                     skips the email.",
                    code(template),
                    code(&template_name(template)),
                ));
                let step = Step::Email(EmailPlan {
                    template: template.clone(),
                });
                flow.run(delay, step);
            }
        }
    }
    for follow_up in &stage.follow_ups {
        automation
            .entry
            .run(Some(follow_up.after), task(&follow_up.text, None));
    }
    for flow in [&mut automation.entry, &mut automation.exit] {
        flow.scheduled.sort_by_key(|p| p.offset.hours);
    }
    automation
}

fn task(subject: &str, due: Option<Duration>) -> Step {
    Step::Task(TaskPlan {
        subject: limit(subject, MAX_SUBJECT),
        due_days: due.map(whole_days),
    })
}

/// Adds `step` to the scheduled path at `offset`, a new one if there is none yet.
fn schedule(offset: Duration, step: Step, scheduled: &mut Vec<PathPlan>) {
    match scheduled
        .iter_mut()
        .find(|p| p.offset.hours == offset.hours)
    {
        Some(path) => path.steps.push(step),
        None => scheduled.push(PathPlan {
            offset,
            steps: vec![step],
        }),
    }
}

fn trigger_phrase(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Entered => "moved into",
        Trigger::Exited => "moved out of",
        Trigger::Stale => "stalled in",
    }
}

/// One element of a flow, placed and connected.
struct Node<'p> {
    name: String,
    x: usize,
    y: usize,
    kind: NodeKind<'p>,
}

enum NodeKind<'p> {
    Task {
        task: &'p TaskPlan,
        next: Option<String>,
    },
    /// Gets the email template by its unique name.
    Lookup { email: &'p EmailPlan, next: String },
    /// Sends the email when the template was found, else goes on.
    Check {
        lookup: String,
        rule: String,
        send: String,
        skip: Option<String>,
    },
    Send {
        email: &'p EmailPlan,
        lookup: String,
        next: Option<String>,
    },
}

/// The elements of one chain of steps (the immediate ones, or one path's), in column
/// `column`, with element names starting with `prefix`. Returns the first element's name.
fn chain<'p>(
    steps: &'p [Step],
    prefix: &str,
    column: usize,
    nodes: &mut Vec<Node<'p>>,
) -> Option<String> {
    let (mut tasks, mut emails) = (0, 0);
    let heads: Vec<String> = steps
        .iter()
        .map(|step| match step {
            Step::Task(_) => {
                tasks += 1;
                format!("{prefix}Task_{tasks}")
            }
            Step::Email(_) => {
                emails += 1;
                format!("{prefix}Email_{emails}_Template")
            }
        })
        .collect();
    let x = 176 + 264 * column;
    let mut row = 0;
    let at = |row: &mut usize| {
        let y = 335 + 120 * *row;
        *row += 1;
        y
    };
    for (i, step) in steps.iter().enumerate() {
        let next = heads.get(i + 1).cloned();
        let head = heads[i].clone();
        match step {
            Step::Task(task) => nodes.push(Node {
                name: head,
                x,
                y: at(&mut row),
                kind: NodeKind::Task { task, next },
            }),
            Step::Email(email) => {
                let base = head.trim_end_matches("_Template").to_string();
                let check = format!("{base}_Check");
                nodes.push(Node {
                    name: head.clone(),
                    x,
                    y: at(&mut row),
                    kind: NodeKind::Lookup {
                        email,
                        next: check.clone(),
                    },
                });
                nodes.push(Node {
                    name: check,
                    x,
                    y: at(&mut row),
                    kind: NodeKind::Check {
                        lookup: head.clone(),
                        rule: format!("{base}_Template_Found"),
                        send: base.clone(),
                        skip: next.clone(),
                    },
                });
                nodes.push(Node {
                    name: base,
                    x,
                    y: at(&mut row),
                    kind: NodeKind::Send {
                        email,
                        lookup: head,
                        next,
                    },
                });
            }
        }
    }
    heads.first().cloned()
}

/// `flows/<name>.flow-meta.xml`: the after-save flow that runs `plan` for deals of
/// `record_type` entering or leaving `stage`.
pub fn flow(
    process: &Process,
    stage: &Stage,
    record_type: &str,
    direction: Direction,
    plan: &FlowPlan,
) -> Vec<u8> {
    let value = stage_value(Crm::Salesforce, stage);
    let (verb, ing) = match direction {
        Direction::Entry => ("enter", "entering"),
        Direction::Exit => ("leave", "leaving"),
    };
    let mut nodes = Vec::new();
    let first = chain(&plan.immediate, "", 0, &mut nodes);
    let paths: Vec<Option<String>> = plan
        .scheduled
        .iter()
        .enumerate()
        .map(|(p, path)| chain(&path.steps, &format!("Path_{}_", p + 1), p + 1, &mut nodes))
        .collect();

    let mut xml = Xml::document("Flow");
    for node in &nodes {
        if let NodeKind::Send {
            email,
            lookup,
            next,
        } = &node.kind
        {
            open_node(
                &mut xml,
                "actionCalls",
                node,
                &format!("Email {}", email.template),
            )
            .text("actionName", "emailSimple")
            .text("actionType", "emailSimple");
            connect(&mut xml, "connector", next.as_deref());
            xml.text("flowTransactionModel", "CurrentTransaction");
            input(&mut xml, "emailTemplateId", |v| {
                v.text("elementReference", &format!("{lookup}.Id"));
            });
            // Not logged: the recipient is a user, and Salesforce logs an email to its
            // recipient, which for a user cannot carry the deal as its related record.
            input(&mut xml, "logEmailOnSend", |v| {
                v.flag("booleanValue", false);
            });
            input(&mut xml, "recipientId", |v| {
                v.text("elementReference", "$Record.OwnerId");
            });
            input(&mut xml, "relatedRecordId", |v| {
                v.text("elementReference", "$Record.Id");
            });
            xml.text("nameSegment", "emailSimple")
                .flag("storeOutputAutomatically", true)
                .close();
        }
    }
    xml.text("apiVersion", super::API_VERSION);
    for node in &nodes {
        if let NodeKind::Check {
            lookup,
            rule,
            send,
            skip,
        } = &node.kind
        {
            open_node(&mut xml, "decisions", node, "Email template found?");
            connect(&mut xml, "defaultConnector", skip.as_deref());
            xml.text("defaultConnectorLabel", "No template")
                .open("rules")
                .text("name", rule)
                .text("conditionLogic", "and")
                .open("conditions")
                .text("leftValueReference", lookup)
                .text("operator", "IsNull")
                .open("rightValue")
                .flag("booleanValue", false)
                .close()
                .close();
            connect(&mut xml, "connector", Some(send));
            xml.text("label", "Template found").close().close();
        }
    }
    xml.text(
        "description",
        &limit(
            &format!(
                "Automation for deals of {} that {verb} {value}. Generated by salespath.",
                process.label
            ),
            MAX_DESCRIPTION,
        ),
    );
    for node in &nodes {
        if let NodeKind::Task {
            task: TaskPlan {
                due_days: Some(days),
                ..
            },
            ..
        } = &node.kind
        {
            xml.open("formulas")
                .text("name", &format!("{}_Due", node.name))
                .text("dataType", "Date")
                .text("expression", &format!("TODAY() + {days}"))
                .close();
        }
    }
    let kind = match direction {
        Direction::Entry => "automation",
        Direction::Exit => "exit automation",
    };
    xml.text(
        "label",
        &limit(&format!("{}: {value} {kind}", process.label), MAX_LABEL),
    );
    xml.text("processType", "AutoLaunchedFlow");
    for node in &nodes {
        if let NodeKind::Task { task, next } = &node.kind {
            open_node(
                &mut xml,
                "recordCreates",
                node,
                &format!("Task: {}", task.subject),
            );
            connect(&mut xml, "connector", next.as_deref());
            if task.due_days.is_some() {
                assign_reference(&mut xml, "ActivityDate", &format!("{}_Due", node.name));
            }
            assign_reference(&mut xml, "OwnerId", "$Record.OwnerId");
            xml.open("inputAssignments")
                .text("field", "Subject")
                .open("value")
                .text("stringValue", &task.subject)
                .close()
                .close();
            assign_reference(&mut xml, "WhatId", "$Record.Id");
            xml.text("object", "Task")
                .flag("storeOutputAutomatically", true)
                .close();
        }
    }
    for node in &nodes {
        if let NodeKind::Lookup { email, next } = &node.kind {
            let unique = template_name(&email.template);
            open_node(
                &mut xml,
                "recordLookups",
                node,
                &format!("Find email template {unique}"),
            )
            .flag("assignNullValuesIfNoRecordsFound", false);
            connect(&mut xml, "connector", Some(next));
            xml.text("filterLogic", "and")
                .open("filters")
                .text("field", "DeveloperName")
                .text("operator", "EqualTo")
                .open("value")
                .text("stringValue", &unique)
                .close()
                .close()
                .flag("getFirstRecordOnly", true)
                .text("object", "EmailTemplate")
                .text("queriedFields", "Id")
                .flag("storeOutputAutomatically", true)
                .close();
        }
    }
    xml.open("start")
        .text("locationX", "50")
        .text("locationY", "0");
    connect(&mut xml, "connector", first.as_deref());
    // Only when the deal comes to meet the condition, so that a scheduled path is cancelled
    // once it no longer does (the deal left the stage, or changed stage again).
    let (watched, trigger_type) = match direction {
        Direction::Entry => ("TEXT({!$Record.StageName})".to_string(), "CreateAndUpdate"),
        Direction::Exit => (format!("{{!$Record.{PREVIOUS_STAGE_FIELD}}}"), "Update"),
    };
    xml.flag("doesRequireRecordChangedToMeetCriteria", true)
        .text(
            "filterFormula",
            &format!(
                "{{!$Record.RecordType.DeveloperName}} = {} && {watched} = {}",
                string(record_type),
                string(value)
            ),
        )
        .text("object", "Opportunity")
        .text("recordTriggerType", trigger_type);
    for (p, (path, head)) in plan.scheduled.iter().zip(&paths).enumerate() {
        let (number, unit) = if path.offset.hours.is_multiple_of(24) {
            (path.offset.hours / 24, "Days")
        } else {
            (path.offset.hours, "Hours")
        };
        xml.open("scheduledPaths")
            .text("name", &format!("Path_{}", p + 1));
        connect(&mut xml, "connector", head.as_deref());
        xml.text(
            "label",
            &limit(
                &format!("{} after {ing} {value}", spoken(path.offset)),
                MAX_LABEL,
            ),
        )
        .text("offsetNumber", &number.to_string())
        .text("offsetUnit", unit)
        .text("timeSource", "RecordTriggerEvent")
        .close();
    }
    xml.text("triggerType", "RecordAfterSave").close();
    xml.text("status", "Active");
    xml.finish()
}

/// `flows/Opportunity_Previous_Stage.flow-meta.xml`: before a deal is saved with a new
/// stage, [`PREVIOUS_STAGE_FIELD`] takes the stage it had, for the exit flows.
pub fn previous_stage_flow() -> Vec<u8> {
    let mut xml = Xml::document("Flow");
    xml.text("apiVersion", super::API_VERSION)
        .open("assignments")
        .text("name", "Remember_Previous_Stage")
        .text("label", "Remember the previous stage")
        .text("locationX", "176")
        .text("locationY", "335")
        .open("assignmentItems")
        .text(
            "assignToReference",
            &format!("$Record.{PREVIOUS_STAGE_FIELD}"),
        )
        .text("operator", "Assign")
        .open("value")
        .text("elementReference", "Prior_Stage")
        .close()
        .close()
        .close()
        .text(
            "description",
            "Keeps the stage a deal left at its last stage change, which the exit automation \
             flows read. Generated by salespath.",
        )
        .open("formulas")
        .text("name", "Prior_Stage")
        .text("dataType", "String")
        .text("expression", "TEXT({!$Record__Prior.StageName})")
        .close()
        .text("label", "Opportunity: remember the previous stage")
        .text("processType", "AutoLaunchedFlow")
        .open("start")
        .text("locationX", "50")
        .text("locationY", "0");
    connect(&mut xml, "connector", Some("Remember_Previous_Stage"));
    xml.text("filterFormula", "ISCHANGED({!$Record.StageName})")
        .text("object", "Opportunity")
        .text("recordTriggerType", "Update")
        .text("triggerType", "RecordBeforeSave")
        .close()
        .text("status", "Active");
    xml.finish()
}

/// Opens `element` with a node's name, label and place; the caller closes it.
fn open_node<'x>(
    xml: &'x mut Xml,
    element: &'static str,
    node: &Node<'_>,
    label: &str,
) -> &'x mut Xml {
    xml.open(element)
        .text("name", &node.name)
        .text("label", &limit(label, MAX_LABEL))
        .text("locationX", &node.x.to_string())
        .text("locationY", &node.y.to_string())
}

fn connect(xml: &mut Xml, element: &'static str, target: Option<&str>) {
    if let Some(target) = target {
        xml.open(element).text("targetReference", target).close();
    }
}

fn input(xml: &mut Xml, name: &str, value: impl FnOnce(&mut Xml)) {
    xml.open("inputParameters").text("name", name).open("value");
    value(xml);
    xml.close().close();
}

fn assign_reference(xml: &mut Xml, field: &str, reference: &str) {
    xml.open("inputAssignments")
        .text("field", field)
        .open("value")
        .text("elementReference", reference)
        .close()
        .close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_are_the_name_written_as_an_api_name() {
        assert_eq!(template_name("demo-recap"), "demo_recap");
        assert_eq!(template_name("Welcome aboard!"), "Welcome_aboard");
        assert_eq!(template_name("2024 recap"), "X_2024_recap");
        assert_eq!(template_name("日本"), "Template");
        assert_eq!(template_name(&"a".repeat(100)).len(), 80);
    }
}
