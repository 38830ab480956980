//! Hover: what a name stands for, in plain words, and what the rule of a diagnostic there
//! checks.

use super::index::{Kind, Occurrence};
use super::position::LineIndex;
use super::World;
use crate::crm::{field_name, Crm};
use crate::emit::english;
use crate::model::{Expr, FieldId, FieldType, Model};
use crate::source::Loc;
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use std::fmt::Write;

pub fn hover(world: &World<'_>, params: HoverParams) -> Result<Option<Hover>, String> {
    let at = params.text_document_position_params;
    let Some((analysis, file, offset)) = world.locate(&at.text_document.uri, at.position) else {
        return Ok(None);
    };
    let mut text = String::new();
    let mut range = None;
    if let Some(import) = analysis.indexes[file.0].import_at(offset) {
        range = Some(import.loc);
        match analysis.import_target(file, &import.written) {
            Some(target) => {
                let _ = write!(text, "imports `{}`", analysis.run.sources.get(target).name);
            }
            None => text.push_str("imports a file that does not exist"),
        }
    } else if let Some((occurrence, kind, def)) = analysis.resolve_at(file, offset) {
        range = Some(occurrence.loc);
        let model = analysis.checked(file).and_then(|c| c.model.as_ref());
        if let Some(model) = model {
            describe(model, kind, def, occurrence, &mut text);
        }
    }
    for diagnostic in super::diagnostics::in_file(analysis, file) {
        let span = diagnostic.loc.span;
        if span.start <= offset && offset <= span.end {
            let info = diagnostic.rule.info();
            if !text.is_empty() {
                text.push_str("\n\n---\n\n");
            }
            let _ = write!(
                text,
                "**`{}`**: {}\n\n{}",
                info.name, info.summary, info.explanation
            );
        }
    }
    if text.is_empty() {
        return Ok(None);
    }
    let lines = LineIndex::new(analysis.text(file));
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: range.map(|loc: Loc| lines.range(loc.span.start, loc.span.end)),
    }))
}

/// What the name declared at `def` stands for; `scope` and `name` are where it was written.
fn describe(model: &Model, kind: Kind, def: Loc, at: &Occurrence, out: &mut String) {
    let (scope, name) = (at.scope.as_deref(), at.name.as_str());
    match kind {
        Kind::Stage => stage(model, def, scope, name, out),
        Kind::Field => {
            if let Some(i) = model.fields.iter().position(|f| f.loc == def) {
                field(model, FieldId(i), out);
            }
        }
        Kind::Role => {
            if let Some(role) = model.roles.iter().find(|r| r.loc == def) {
                let _ = write!(out, "**{}** (role `{}`)", role.label, role.id);
                let owns: Vec<String> =
                    stages_where(model, |s| s.owner.is_some_and(|o| model.role(o).loc == def));
                list(out, "Owns", &owns);
            }
        }
        Kind::Tool => {
            if let Some(tool) = model.tools.iter().find(|t| t.loc == def) {
                let _ = write!(out, "**{}** (tool `{}`)", tool.label, tool.id);
                if let Some(kind) = &tool.kind {
                    let _ = write!(out, "\n\nKind: {kind}");
                }
                if let Some(link) = &tool.link {
                    let _ = write!(out, "\n\nLink: <{link}>");
                }
                if let Some(description) = &tool.description {
                    let _ = write!(out, "\n\n{description}");
                }
                let used =
                    stages_where(model, |s| s.tools.iter().any(|t| model.tool(*t).loc == def));
                list(out, "Used in", &used);
            }
        }
        Kind::Segment => {
            if let Some(segment) = model.segments.iter().find(|s| s.loc == def) {
                let _ = write!(out, "**{}** (segment `{}`)", segment.label, segment.id);
                if let Some(description) = &segment.description {
                    let _ = write!(out, "\n\n{description}");
                }
                if let Some(when) = &segment.when {
                    let _ = write!(out, "\n\nWhen {}", english::condition(model, when));
                }
            }
        }
        Kind::Criteria => {
            if let Some(i) = model.criteria.iter().position(|c| c.loc == def) {
                let criteria = &model.criteria[i];
                let _ = writeln!(out, "**{}** (criteria `{}`)", criteria.label, criteria.id);
                for (name, condition) in english::criteria_items(model, crate::model::CriteriaId(i))
                {
                    let _ = write!(out, "\n- {name}: {condition}");
                }
            }
        }
        Kind::Criterion => {
            for criteria in &model.criteria {
                if let Some(item) = criteria.items.iter().find(|i| i.loc == def) {
                    let _ = write!(
                        out,
                        "**{}** (in criteria `{}`): {}",
                        crate::model::label_from_id(&item.name),
                        criteria.id,
                        english::condition(model, &item.expr)
                    );
                }
            }
        }
        Kind::Scoring => {
            if let Some(scoring) = model.scorings.iter().find(|s| s.loc == def) {
                let _ = write!(
                    out,
                    "**{}** (scoring `{}`): {} rules, threshold {}",
                    scoring.label,
                    scoring.id,
                    scoring.rules.len(),
                    crate::value::group_thousands(scoring.threshold)
                );
            }
        }
        Kind::Process => {
            if let Some(process) = model.processes.iter().find(|p| p.loc == def) {
                let _ = write!(out, "**{}** (process `{}`)", process.label, process.id);
                if let Some(base) = process.base {
                    let _ = write!(out, "\n\nExtends `{}`", model.process(base).id);
                }
                if let Some(selling) = process.model {
                    let _ = write!(out, "\n\nModel: {}", selling.as_str());
                }
                if let Some(owner) = &process.owner {
                    let _ = write!(out, "\n\nOwner: {owner}");
                }
                if let Some(description) = &process.description {
                    let _ = write!(out, "\n\n{description}");
                }
                let stages: Vec<String> = process.stages.iter().map(|s| s.label.clone()).collect();
                let _ = write!(out, "\n\nStages: {}", stages.join(" → "));
            }
        }
        Kind::Value => {}
    }
}

fn stage(model: &Model, def: Loc, scope: Option<&str>, name: &str, out: &mut String) {
    // A variant shows its own version of an inherited stage.
    let by_scope = model
        .processes
        .iter()
        .filter(|p| Some(p.id.as_str()) == scope)
        .find_map(|p| Some((p, p.stage(p.find_stage(name)?))));
    let found = by_scope.or_else(|| {
        model
            .processes
            .iter()
            .find_map(|p| Some((p, p.stages.iter().find(|s| s.loc == def)?)))
    });
    let Some((process, stage)) = found else {
        return;
    };
    let _ = write!(
        out,
        "**{}** (stage `{}` of `{}`)",
        stage.label, stage.id, process.id
    );
    if let Some(outcome) = stage.outcome {
        let _ = write!(out, "\n\nOutcome: {}", outcome.as_str());
    }
    let mut facts = Vec::new();
    if let Some(p) = stage.probability {
        facts.push(format!("Probability: {}%", crate::model::format_number(p)));
    }
    facts.push(format!("Forecast: {}", stage.forecast.label()));
    if let Some(owner) = stage.owner {
        facts.push(format!("Owner: {}", model.role(owner).label));
    }
    if let Some(expected) = stage.expected {
        facts.push(format!("Expected: {}", expected.human()));
    }
    if let Some(stale) = stage.stale_after {
        facts.push(format!("Stalled after: {}", stale.human()));
    }
    for fact in facts {
        let _ = write!(out, "\n\n{fact}");
    }
    if let Some(objective) = &stage.objective {
        let _ = write!(out, "\n\nObjective: {objective}");
    }
    let known: Vec<String> = stage
        .required_here
        .iter()
        .map(|f| model.field(*f).label.clone())
        .collect();
    list(out, "Must be known here", &known);
    if let Some(exit) = &stage.exit {
        let _ = write!(out, "\n\nTo move on: {}", english::condition(model, exit));
    }
    let next: Vec<String> = stage
        .next_ids()
        .map(|s| process.stage(s).label.clone())
        .collect();
    list(out, "Next", &next);
}

fn field(model: &Model, id: FieldId, out: &mut String) {
    let f = model.field(id);
    let ty = match &f.ty {
        FieldType::Choice(values) => format!("choice of {}", quote_all(values)),
        other => other.name().to_string(),
    };
    let _ = write!(out, "**{}** (field `{}`): {ty}", f.label, f.id);
    if let Some(description) = &f.description {
        let _ = write!(out, "\n\n{description}");
    }
    let names: Vec<String> = Crm::ALL
        .iter()
        .map(|&crm| format!("{} `{}`", crm.name(), field_name(crm, f)))
        .collect();
    let _ = write!(out, "\n\nCRM names: {}", names.join(", "));
    let required = stages_where(model, |s| s.requires.contains(&id));
    list(out, "Required in", &required);
    let tested = stages_where(model, |s| s.exit.as_ref().is_some_and(|e| mentions(e, id)));
    list(out, "Tested to leave", &tested);
    let criteria: Vec<String> = model
        .criteria
        .iter()
        .filter(|c| c.items.iter().any(|i| mentions(&i.expr, id)))
        .map(|c| c.label.clone())
        .collect();
    list(out, "Tested in criteria", &criteria);
}

fn quote_all(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Process › Stage" for every stage that `keep` accepts.
fn stages_where(model: &Model, keep: impl Fn(&crate::model::Stage) -> bool) -> Vec<String> {
    model
        .processes
        .iter()
        .flat_map(|p| {
            p.stages
                .iter()
                .filter(|s| keep(s))
                .map(move |s| format!("{} › {}", p.label, s.label))
        })
        .collect()
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if !items.is_empty() {
        let _ = write!(out, "\n\n{title}: {}", items.join(", "));
    }
}

/// Whether a condition tests `field` (directly; criteria it uses are listed under criteria).
fn mentions(expr: &Expr, field: FieldId) -> bool {
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match e {
            Expr::Or(a, b) | Expr::And(a, b) => {
                stack.push(a);
                stack.push(b);
            }
            Expr::Not(inner) => stack.push(inner),
            Expr::Field { field: f, .. } if *f == field => return true,
            Expr::Field { .. } | Expr::Criteria { .. } => {}
        }
    }
    false
}
