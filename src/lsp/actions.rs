//! Quick fixes for the diagnostics under the cursor: every did-you-mean suggestion, a missing
//! probability, a missing won or lost stage, and a declaration for an undeclared name.

use super::analysis::Analysis;
use super::context;
use super::index::Kind;
use super::position::LineIndex;
use super::World;
use crate::diag::Diagnostic;
use crate::model::{format_number, Model};
use crate::rule::Rule;
use crate::source::FileId;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;

pub fn actions(
    world: &World<'_>,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>, String> {
    let url = params.text_document.uri;
    let Some(analysis) = world.analysis else {
        return Ok(None);
    };
    let Some(file) = analysis.file(&url) else {
        return Ok(None);
    };
    let text = analysis.text(file);
    let lines = LineIndex::new(text);
    let (start, end) = (
        lines.offset(params.range.start),
        lines.offset(params.range.end),
    );
    let fixes = Fixes {
        analysis,
        file,
        text,
        lines: &lines,
        url: &url,
    };
    let mut actions = Vec::new();
    for diagnostic in super::diagnostics::in_file(analysis, file) {
        let span = diagnostic.loc.span;
        if span.start <= end && start <= span.end {
            actions.extend(fixes.for_diagnostic(diagnostic));
        }
    }
    Ok(Some(actions))
}

struct Fixes<'a> {
    analysis: &'a Analysis,
    file: FileId,
    text: &'a str,
    lines: &'a LineIndex<'a>,
    url: &'a Url,
}

impl Fixes<'_> {
    fn for_diagnostic(&self, d: &Diagnostic) -> Vec<CodeActionOrCommand> {
        let mut out = Vec::new();
        if let Some(suggestion) = did_you_mean(&d.help) {
            let written = &self.text[d.loc.span.start..d.loc.span.end];
            let replacement = if written.starts_with('"') && !suggestion.starts_with('"') {
                format!("\"{suggestion}\"")
            } else {
                suggestion
            };
            let title = format!("Change to {replacement}");
            out.push(self.action(d, title, d.loc.span.start, d.loc.span.end, replacement));
        }
        match d.rule {
            Rule::MissingProbability => {
                if let Some(at) = self.after_brace(d.loc.span.end) {
                    let guess = self.probability_guess(d);
                    let indent = self.indent_of(d.loc.span.start) + "  ";
                    let insert = format!("\n{indent}probability: {}%", format_number(guess));
                    let title = format!("Add probability: {}%", format_number(guess));
                    out.push(self.action(d, title, at, at, insert));
                }
            }
            Rule::NoWonStage | Rule::NoLostStage => {
                let (outcome, from) = if d.rule == Rule::NoWonStage {
                    ("won", "")
                } else {
                    ("lost", "  from: any")
                };
                if let Some(at) = self.before_closing_brace(d.loc.span.end) {
                    let indent = self.indent_of(d.loc.span.start) + "  ";
                    let name = self.free_stage_name(outcome);
                    let insert = format!("{indent}stage {name} {{ outcome: {outcome}{from} }}\n");
                    let title = format!("Add a stage with outcome: {outcome}");
                    out.push(self.action(d, title, at, at, insert));
                }
            }
            Rule::UnknownReference => {
                if let Some(action) = self.declare(d) {
                    out.push(action);
                }
            }
            _ => {}
        }
        out
    }

    fn action(
        &self,
        d: &Diagnostic,
        title: String,
        start: usize,
        end: usize,
        new_text: String,
    ) -> CodeActionOrCommand {
        let edit = TextEdit::new(self.lines.range(start, end), new_text);
        let changes = HashMap::from([(self.url.clone(), vec![edit])]);
        CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![lsp_types::Diagnostic {
                range: self.lines.range(d.loc.span.start, d.loc.span.end),
                code: Some(lsp_types::NumberOrString::String(d.rule.name().into())),
                message: d.message.clone(),
                ..Default::default()
            }]),
            edit: Some(WorkspaceEdit::new(changes)),
            is_preferred: Some(true),
            ..Default::default()
        })
    }

    /// Right after the `{` that opens the block declared at `from`.
    fn after_brace(&self, from: usize) -> Option<usize> {
        let rest = &self.text[from..];
        let brace = rest.find('{')?;
        rest[..brace]
            .lines()
            .all(|l| !l.contains('}'))
            .then_some(from + brace + 1)
    }

    /// The start of the line of the `}` that closes the block declared at `from`.
    fn before_closing_brace(&self, from: usize) -> Option<usize> {
        let open = self.after_brace(from)?;
        let close = context::block_end(self.text, open);
        let line_start = self.text[..close].rfind('\n').map_or(0, |i| i + 1);
        Some(if self.text[line_start..close].trim().is_empty() {
            line_start
        } else {
            close
        })
    }

    fn indent_of(&self, offset: usize) -> String {
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        self.text[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect()
    }

    fn model(&self) -> Option<&Model> {
        self.analysis.checked(self.file)?.model.as_ref()
    }

    /// Halfway between the probabilities of the open stages around it (rounded to 5%).
    fn probability_guess(&self, d: &Diagnostic) -> f64 {
        let found = self.model().and_then(|m| {
            m.processes.iter().find_map(|p| {
                let i = p.stages.iter().position(|s| s.loc == d.loc)?;
                let open = |s: &&crate::model::Stage| s.is_open();
                let before = p.stages[..i]
                    .iter()
                    .filter(open)
                    .rev()
                    .find_map(|s| s.probability);
                let after = p.stages[i + 1..]
                    .iter()
                    .filter(open)
                    .find_map(|s| s.probability);
                Some((before, after))
            })
        });
        let guess = match found {
            Some((Some(a), Some(b))) => (a + b) / 2.0,
            Some((Some(a), None)) => a + 10.0,
            Some((None, Some(b))) => b / 2.0,
            _ => 50.0,
        };
        ((guess / 5.0).round() * 5.0).clamp(5.0, 95.0)
    }

    /// `won` (or `lost`), unless a stage has that name already: then `closed_won`.
    fn free_stage_name(&self, outcome: &str) -> String {
        let taken = |name: &str| {
            self.analysis.indexes[self.file.0]
                .occurrences
                .iter()
                .any(|o| o.kind == Kind::Stage && o.def && o.name == name)
        };
        [outcome.to_string(), format!("closed_{outcome}")]
            .into_iter()
            .find(|n| !taken(n))
            .unwrap_or_else(|| format!("{outcome}_stage"))
    }

    /// A declaration for the undeclared role, tool, segment or field, before the first
    /// declaration that may use it.
    fn declare(&self, d: &Diagnostic) -> Option<CodeActionOrCommand> {
        let name = &self.text[d.loc.span.start..d.loc.span.end];
        let kind = d
            .message
            .strip_prefix("there is no ")?
            .split(" called ")
            .next()?;
        let declaration = match kind {
            "role" | "tool" | "segment" => format!("{kind} {name}"),
            "field" => format!("field {name}: text"),
            "field or criteria" => format!("field {name}: {}", self.guess_type(d.loc.span.end)),
            _ => return None,
        };
        let first_user = self.analysis.indexes[self.file.0]
            .occurrences
            .iter()
            .find(|o| {
                o.def
                    && matches!(
                        o.kind,
                        Kind::Process | Kind::Segment | Kind::Criteria | Kind::Scoring
                    )
            })?;
        let at = self.text[..first_user.loc.span.start]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let title = format!("Declare `{declaration}`");
        Some(self.action(d, title, at, at, format!("{declaration}\n\n")))
    }

    /// The type a condition's use of an undeclared field implies: `amount > 10` a number.
    fn guess_type(&self, after: usize) -> String {
        let rest = self.text[after..].lines().next().unwrap_or("").trim_start();
        let rest_value = rest.trim_start_matches(['=', '!', '<', '>']).trim_start();
        if rest.starts_with("in") && rest[2..].trim_start().starts_with('[') {
            let list = rest.split(']').next().unwrap_or("");
            let values: Vec<&str> = list.split('"').skip(1).step_by(2).collect();
            if !values.is_empty() {
                let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
                return format!("choice[{}]", quoted.join(", "));
            }
        }
        let operator = rest.starts_with(['=', '!', '<', '>']);
        if operator && rest_value.starts_with(|c: char| c.is_ascii_digit()) {
            let number: String = rest_value
                .chars()
                .take_while(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | '%'))
                .collect();
            return if number.ends_with('%') {
                "percent"
            } else {
                "number"
            }
            .into();
        }
        if operator && (rest_value.starts_with("true") || rest_value.starts_with("false")) {
            return "bool".into();
        }
        if operator || rest.starts_with("is") {
            return "text".into();
        }
        "bool".into()
    }
}

/// The suggestion of a "did you mean `x`?" help: `x`, or a string literal with its quotes.
fn did_you_mean(help: &str) -> Option<String> {
    let rest = help.strip_prefix("did you mean ")?.strip_suffix('?')?;
    Some(
        rest.strip_prefix('`')
            .and_then(|r| r.strip_suffix('`'))
            .unwrap_or(rest)
            .to_string(),
    )
}
