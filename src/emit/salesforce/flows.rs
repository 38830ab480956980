//! Stage automation as record-triggered flows on Opportunity: one after-save flow per stage
//! that has automations. It starts when a deal of the process enters the stage; `when
//! entered: task` creates a Task right away, each `follow_up` and `when stale: notify` creates
//! one on a scheduled path, which Salesforce cancels when the deal leaves the stage first.
//! Tasks go to the deal owner. What a flow that starts on entry cannot do (`when exited:`,
//! emails) is left to the checklist.

use super::formula::string;
use super::names::limit;
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

/// A Task the flow creates.
struct TaskPlan {
    subject: String,
    /// Days from the day it is created to its due date.
    due_days: Option<u64>,
}

/// A scheduled path: its offset from the moment the deal entered the stage, and its Tasks.
struct PathPlan {
    offset: Duration,
    tasks: Vec<TaskPlan>,
}

/// What the flow of one stage does, and what it leaves to the checklist.
pub struct StageAutomation {
    immediate: Vec<TaskPlan>,
    scheduled: Vec<PathPlan>,
    /// Checklist items (Markdown) for what no flow of this stage does.
    pub by_hand: Vec<String>,
    /// Labels of the roles the stage's automations name.
    pub roles: Vec<String>,
}

impl StageAutomation {
    /// True when the stage needs a flow.
    pub fn has_flow(&self) -> bool {
        !self.immediate.is_empty() || !self.scheduled.is_empty()
    }
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

/// What the stage's automations and follow-ups become.
pub fn plan(model: &Model, process: &Process, stage: &Stage) -> StageAutomation {
    let mut automation = StageAutomation {
        immediate: Vec::new(),
        scheduled: Vec::new(),
        by_hand: Vec::new(),
        roles: Vec::new(),
    };
    let where_ = format!(
        "stage {} of process {}",
        code(stage_value(Crm::Salesforce, stage)),
        code(&process.label)
    );
    let mut stale_added = false;
    for item in &stage.automations {
        // Only roles whose work a flow creates: the rest are named in checklist items.
        let role = match (item.trigger, &item.action) {
            (Trigger::Entered, Action::Task { role, .. }) => *role,
            (Trigger::Stale, Action::Notify { role }) if stage.stale_after.is_some() => Some(*role),
            _ => None,
        };
        if let Some(role) = role {
            let label = model.role(role).label.clone();
            if !automation.roles.contains(&label) {
                automation.roles.push(label);
            }
        }
        match (item.trigger, &item.action) {
            (Trigger::Entered, Action::Task { text, due, .. }) => {
                automation.immediate.push(TaskPlan {
                    subject: limit(text, MAX_SUBJECT),
                    due_days: due.map(whole_days),
                });
            }
            (Trigger::Stale, Action::Notify { .. }) => match stage.stale_after {
                Some(after) if !stale_added => {
                    stale_added = true;
                    let subject = format!(
                        "Deal has been in {} for {}",
                        stage_value(Crm::Salesforce, stage),
                        spoken(after)
                    );
                    schedule(
                        after,
                        TaskPlan {
                            subject: limit(&subject, MAX_SUBJECT),
                            due_days: None,
                        },
                        &mut automation.scheduled,
                    );
                }
                Some(_) => {}
                None => automation.by_hand.push(format!(
                    "`when stale` in {where_} has no `stale_after:`, so no flow tells anyone: \
                     set `stale_after:` or build the reminder by hand."
                )),
            },
            (trigger, Action::Email { template, after }) => {
                let delay = after.map_or("right away when".to_string(), |d| {
                    format!("{} after", spoken(d))
                });
                automation.by_hand.push(format!(
                    "Build an email alert on Opportunity with the email template {} and send it \
                     {delay} a deal is {} {where_} (a flow or workflow of your own; the \
                     generated flows create tasks only).",
                    code(template),
                    trigger_phrase(trigger),
                ));
            }
            (trigger, Action::Task { text, .. }) => automation.by_hand.push(by_hand(
                &format!("create the task {}", code(text)),
                trigger,
                &where_,
            )),
            (trigger, Action::Notify { role }) => automation.by_hand.push(by_hand(
                &format!("notify {}", code(&model.role(*role).label)),
                trigger,
                &where_,
            )),
        }
    }
    for follow_up in &stage.follow_ups {
        schedule(
            follow_up.after,
            TaskPlan {
                subject: limit(&follow_up.text, MAX_SUBJECT),
                due_days: None,
            },
            &mut automation.scheduled,
        );
    }
    automation.scheduled.sort_by_key(|p| p.offset.hours);
    automation
}

/// Adds `task` to the scheduled path at `offset`, a new one if there is none yet.
fn schedule(offset: Duration, task: TaskPlan, scheduled: &mut Vec<PathPlan>) {
    match scheduled
        .iter_mut()
        .find(|p| p.offset.hours == offset.hours)
    {
        Some(path) => path.tasks.push(task),
        None => scheduled.push(PathPlan {
            offset,
            tasks: vec![task],
        }),
    }
}

/// The checklist item for an automation no generated flow runs.
fn by_hand(what: &str, trigger: Trigger, where_: &str) -> String {
    format!(
        "Build by hand: {what} when a deal is {} {where_} (the generated flows start when a \
         deal enters a stage).",
        trigger_phrase(trigger)
    )
}

fn trigger_phrase(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Entered => "moved into",
        Trigger::Exited => "moved out of",
        Trigger::Stale => "stalled in",
    }
}

/// `flows/<name>.flow-meta.xml`: the after-save flow that runs `automation` for deals of
/// `record_type` entering `stage`.
pub fn flow(
    process: &Process,
    stage: &Stage,
    record_type: &str,
    automation: &StageAutomation,
) -> Vec<u8> {
    let value = stage_value(Crm::Salesforce, stage);
    let mut xml = Xml::document("Flow");
    xml.text("apiVersion", super::API_VERSION);
    xml.text(
        "description",
        &limit(
            &format!(
                "Tasks for deals of {} that enter {value}. Generated by salespath.",
                process.label
            ),
            MAX_DESCRIPTION,
        ),
    );
    // Element names: the Tasks created right away, then each scheduled path's.
    let immediate: Vec<String> = (1..=automation.immediate.len())
        .map(|n| format!("Task_{n}"))
        .collect();
    let scheduled: Vec<Vec<String>> = automation
        .scheduled
        .iter()
        .enumerate()
        .map(|(p, path)| {
            (1..=path.tasks.len())
                .map(|n| format!("Path_{}_Task_{n}", p + 1))
                .collect()
        })
        .collect();
    let tasks: Vec<(&String, &TaskPlan)> = immediate
        .iter()
        .zip(&automation.immediate)
        .chain(
            scheduled
                .iter()
                .zip(&automation.scheduled)
                .flat_map(|(names, path)| names.iter().zip(&path.tasks)),
        )
        .collect();
    for (name, task) in &tasks {
        if let Some(days) = task.due_days {
            xml.open("formulas")
                .text("name", &format!("{name}_Due"))
                .text("dataType", "Date")
                .text("expression", &format!("TODAY() + {days}"))
                .close();
        }
    }
    xml.text(
        "label",
        &limit(&format!("{}: {value} automation", process.label), MAX_LABEL),
    );
    xml.text("processType", "AutoLaunchedFlow");
    // Each chain of Tasks runs in order: immediate ones from the start, the others from
    // their path.
    let chains: Vec<&Vec<String>> = std::iter::once(&immediate).chain(&scheduled).collect();
    let by_name: std::collections::BTreeMap<&String, &TaskPlan> = tasks.iter().copied().collect();
    for (column, chain) in chains.iter().enumerate() {
        for (row, name) in chain.iter().enumerate() {
            let Some(task) = by_name.get(name) else {
                continue;
            };
            xml.open("recordCreates")
                .text("name", name)
                .text(
                    "label",
                    &limit(&format!("Task: {}", task.subject), MAX_LABEL),
                )
                .text("locationX", &(176 + 264 * column).to_string())
                .text("locationY", &(335 + 120 * row).to_string());
            if let Some(next) = chain.get(row + 1) {
                xml.open("connector").text("targetReference", next).close();
            }
            if task.due_days.is_some() {
                assign_reference(&mut xml, "ActivityDate", &format!("{name}_Due"));
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
    xml.open("start")
        .text("locationX", "50")
        .text("locationY", "0");
    if let Some(first) = immediate.first() {
        xml.open("connector").text("targetReference", first).close();
    }
    // Only on entering the stage, so a scheduled path is cancelled once the deal leaves it.
    xml.flag("doesRequireRecordChangedToMeetCriteria", true)
        .text(
            "filterFormula",
            &format!(
                "{{!$Record.RecordType.DeveloperName}} = {} && TEXT({{!$Record.StageName}}) = {}",
                string(record_type),
                string(value)
            ),
        )
        .text("object", "Opportunity")
        .text("recordTriggerType", "CreateAndUpdate");
    for (p, (path, names)) in automation.scheduled.iter().zip(&scheduled).enumerate() {
        let (number, unit) = if path.offset.hours.is_multiple_of(24) {
            (path.offset.hours / 24, "Days")
        } else {
            (path.offset.hours, "Hours")
        };
        xml.open("scheduledPaths")
            .text("name", &format!("Path_{}", p + 1));
        if let Some(first) = names.first() {
            xml.open("connector").text("targetReference", first).close();
        }
        xml.text(
            "label",
            &limit(
                &format!("{} after entering {value}", spoken(path.offset)),
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

fn assign_reference(xml: &mut Xml, field: &str, reference: &str) {
    xml.open("inputAssignments")
        .text("field", field)
        .open("value")
        .text("elementReference", reference)
        .close()
        .close();
}
