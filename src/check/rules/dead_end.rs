use super::{sound_processes, Context};
use crate::diag::{list_names, Diagnostic};
use crate::model::{graph, TransitionKind};
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "dead-end",
    default: Level::Error,
    summary: "an open stage from which no won stage can be reached",
    explanation: "\
A deal in an open stage is still being worked, so there must be some way to win it from there.
If every path from a stage leads only to lost stages (or nowhere), reps will be stuck with deals
they can only lose. When several stages are stuck because of one of them, only the one at the
end of the line is reported.",
    example: crate::rule_fixtures!("dead-end"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in sound_processes(cx) {
        let stages = &process.stages;
        if !stages.iter().any(|s| s.is_won()) {
            continue; // `no-won-stage` says it once
        }
        let reachable = graph::reachable(stages);
        let wins = graph::reaches_won(stages);
        let stuck: Vec<bool> = (0..stages.len())
            .map(|i| stages[i].is_open() && reachable[i] && !wins[i])
            .collect();
        let mut reported_with: Vec<bool> = vec![false; stages.len()];
        for i in 0..stages.len() {
            if !stuck[i] || reported_with[i] {
                continue;
            }
            // Report the stuck stages at the end of the line: those whose stuck successors all
            // lead back to them. The others are stuck only because they lead here.
            let group = reaches_back(stages, &stuck, i);
            let Some(group) = group else { continue };
            for &g in &group {
                reported_with[g] = true;
            }
            // Within the group, the stage whose `next:` is written out is where the loop was
            // made (in a variant: the stage it restates).
            let at = group
                .iter()
                .copied()
                .filter(|&g| {
                    stages[g]
                        .next
                        .iter()
                        .any(|t| t.kind == TransitionKind::Listed)
                })
                .min()
                .unwrap_or(i);
            let stage = &stages[at];
            let targets: Vec<&str> = stage.next_ids().map(|t| stages[t.0].id.as_str()).collect();
            let help = if targets.is_empty() {
                format!(
                    "deals in `{}` cannot go anywhere: add `next:` with a stage that leads to a win",
                    stage.id
                )
            } else {
                format!(
                    "deals in `{}` can only go to {}: add a stage that leads to a win to its `next:`",
                    stage.id,
                    list_names(&targets)
                )
            };
            out.push(
                Diagnostic::new(
                    Rule::DeadEnd,
                    stage.loc,
                    format!("no won stage can be reached from `{}`", stage.id),
                )
                .label("deals here can never be won")
                .help(help),
            );
        }
    }
}

/// When every stuck stage reachable from `start` can reach `start` again, returns that group
/// (the end of the line); otherwise `None`.
fn reaches_back(
    stages: &[crate::model::Stage],
    stuck: &[bool],
    start: usize,
) -> Option<Vec<usize>> {
    let forward = closure(stages, stuck, start);
    for &s in &forward {
        if s != start && !closure(stages, stuck, s).contains(&start) {
            return None;
        }
    }
    Some(forward)
}

fn closure(stages: &[crate::model::Stage], stuck: &[bool], start: usize) -> Vec<usize> {
    let mut seen = vec![false; stages.len()];
    let mut stack = vec![start];
    let mut out = Vec::new();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(i);
        stack.extend(
            stages[i]
                .next_ids()
                .map(|t| t.0)
                .filter(|&t| stuck[t] && !seen[t]),
        );
    }
    out
}
