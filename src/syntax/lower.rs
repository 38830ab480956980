//! Lowering: one function per grammar rule, from pest pairs into the syntax tree.

use super::ast::*;
use super::literal::{parse_duration, parse_number, parse_string};
use super::{Rule, RESERVED};
use crate::diag::{did_you_mean, list_names, Diagnostic};
use crate::source::{FileId, Loc, Span};
use crate::value::{
    group_thousands, CompareOp, Duration, Forecast, Literal, Outcome, SellingModel,
};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::OnceLock;

/// Deeper expressions are refused: nobody writes them, and they would only cost stack.
const MAX_EXPR_DEPTH: usize = 128;

/// Longer conditions are refused: each `and` or `or` is a level of the condition's tree, so
/// this bounds its depth (and every walk over it) as [`MAX_EXPR_DEPTH`] bounds parentheses.
const MAX_EXPR_CLAUSES: usize = 10_000;

struct Lowerer {
    file: FileId,
    /// Where the parsed text starts in the file (after a syntax error, parsing resumes later).
    offset: usize,
    diagnostics: Vec<Diagnostic>,
}

/// Lowers a parse of `text[offset..]` by `rule` (`file` or `process_rest`). Only a whole
/// `file` gives a tree; after a syntax error, the rest is lowered for its own diagnostics.
pub fn lower(file: FileId, offset: usize, mut pairs: Pairs<'_, Rule>) -> (File, Vec<Diagnostic>) {
    let mut lowerer = Lowerer {
        file,
        offset,
        diagnostics: Vec::new(),
    };
    let mut declarations = Vec::new();
    let mut rest = new_process(Name::default(), None);
    let root = pairs
        .next()
        .expect("the grammar always yields its start rule");
    for pair in root.into_inner() {
        if let Some(declaration) = lowerer.declaration(pair.clone()) {
            declarations.push(declaration);
        } else {
            lowerer.process_item(&mut rest, pair);
        }
    }
    (File { declarations }, lowerer.diagnostics)
}

fn span_of(file: FileId, offset: usize, pair: &Pair<'_, Rule>) -> Loc {
    let span = pair.as_span();
    Loc::new(file, Span::new(offset + span.start(), offset + span.end()))
}

impl Lowerer {
    fn span(&self, pair: &Pair<'_, Rule>) -> Loc {
        span_of(self.file, self.offset, pair)
    }

    fn error(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(crate::rule::Rule::Syntax, loc, message).help(help));
    }

    fn declaration(&mut self, pair: Pair<'_, Rule>) -> Option<Declaration> {
        Some(match pair.as_rule() {
            Rule::import => Declaration::Import(Import {
                path: self.text(pair.into_inner().nth(1)?),
            }),
            Rule::role => {
                let (name, label, _) = self.head(pair);
                Declaration::Role(Role { name, label })
            }
            Rule::field => Declaration::Field(self.field(pair)),
            Rule::tool => Declaration::Tool(self.tool(pair)),
            Rule::segment => Declaration::Segment(self.segment(pair)),
            Rule::criteria => Declaration::Criteria(self.criteria(pair)),
            Rule::scoring => Declaration::Scoring(self.scoring(pair)),
            Rule::process => Declaration::Process(self.process(pair)),
            _ => return None,
        })
    }

    /// The keyword, name and optional label every declaration starts with; returns the rest.
    fn head<'i>(&mut self, pair: Pair<'i, Rule>) -> (Name, Option<Text>, Vec<Pair<'i, Rule>>) {
        let mut inner = pair.into_inner().skip(1).peekable();
        let name = self.name(inner.next().expect("grammar: a declaration has a name"));
        let label = match inner.peek() {
            Some(p) if p.as_rule() == Rule::string => Some(self.text(inner.next().unwrap())),
            _ => None,
        };
        (name, label, inner.collect())
    }

    fn name(&mut self, pair: Pair<'_, Rule>) -> Name {
        let text = pair.as_str();
        if RESERVED.contains(&text) {
            self.error(
                self.span(&pair),
                format!("`{text}` is a reserved word and cannot be used as a name"),
                "choose another name, for example with a word before or after it",
            );
        }
        Name {
            text: text.to_string(),
            span: self.span(&pair),
        }
    }

    fn names(&mut self, list: Pair<'_, Rule>) -> Vec<Name> {
        list.into_inner().map(|p| self.name(p)).collect()
    }

    fn text(&mut self, pair: Pair<'_, Rule>) -> Text {
        let span = self.span(&pair);
        let value = match parse_string(pair.as_str()) {
            Ok(value) => value,
            Err((offset, message)) => {
                let at = span.span.start + offset;
                self.error(
                    Loc::new(self.file, Span::new(at, at + 2)),
                    message,
                    "write `\\\"` for a quote, `\\\\` for a backslash, `\\n` for a line break, `\\t` for a tab",
                );
                String::new()
            }
        };
        Text { value, span }
    }

    fn duration(&mut self, pair: Pair<'_, Rule>) -> Duration {
        match parse_duration(pair.as_str()) {
            Some(d) => d,
            None => {
                self.error(
                    self.span(&pair),
                    format!("the duration `{}` is too long", pair.as_str()),
                    "use a number of hours (h), days (d) or weeks (w) that fits in a lifetime",
                );
                Duration { hours: 0 }
            }
        }
    }

    fn number(&mut self, pair: &Pair<'_, Rule>) -> f64 {
        let token = pair.as_str().trim_end_matches('%').trim_start_matches('+');
        match parse_number(token) {
            Some(n) => n,
            None => {
                self.error(
                    self.span(pair),
                    format!("`{}` is not a number this language can hold", pair.as_str()),
                    "write a plain number such as `25000` or `12.5`",
                );
                0.0
            }
        }
    }

    /// A keyword-like value given as an identifier (`forecast: best_case`).
    fn choice<T: Copy>(
        &mut self,
        pair: Pair<'_, Rule>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let word = pair.as_str();
        if let Some((_, value)) = options.iter().find(|(name, _)| *name == word) {
            return Some(*value);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let help = did_you_mean(word, names.iter().copied(), || {
            format!("use one of {}", list_names(&names).replace(" and ", " or "))
        });
        self.error(self.span(&pair), format!("`{word}` is not a {what}"), help);
        None
    }

    fn once<T>(&mut self, slot: &mut Option<T>, value: T, span: Loc, property: &str) {
        if slot.is_some() {
            self.error(
                span,
                format!("`{property}` is given twice here"),
                format!("keep one `{property}` and remove the other"),
            );
        } else {
            *slot = Some(value);
        }
    }

    fn field(&mut self, pair: Pair<'_, Rule>) -> Field {
        let (name, label, rest) = self.head(pair);
        let mut rest = rest.into_iter();
        let ty_pair = rest.next().expect("grammar: a field has a type");
        let ty_span = self.span(&ty_pair);
        let inner = ty_pair.into_inner().next().expect("grammar: type");
        let ty = match inner.as_rule() {
            Rule::choice_type => FieldType::Choice(
                inner
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::string)
                    .map(|p| self.text(p))
                    .collect(),
            ),
            _ => self.simple_type(inner),
        };
        let mut field = Field {
            name,
            label,
            ty: Prop {
                value: ty,
                span: ty_span,
            },
            description: None,
            salesforce: None,
            hubspot: None,
            pipedrive: None,
            renamed_from: None,
        };
        if let Some(block) = rest.next() {
            for prop in block.into_inner() {
                let prop_span = self.span(&prop);
                let rule = prop.as_rule();
                if rule == Rule::renamed_from {
                    let old = self.name(prop.into_inner().nth(1).expect("grammar: an id"));
                    self.once(&mut field.renamed_from, old, prop_span, "renamed_from");
                    continue;
                }
                let value = self.text(prop.into_inner().nth(1).expect("grammar: value"));
                let (slot, key) = match rule {
                    Rule::description => (&mut field.description, "description"),
                    Rule::salesforce => (&mut field.salesforce, "salesforce"),
                    Rule::hubspot => (&mut field.hubspot, "hubspot"),
                    _ => (&mut field.pipedrive, "pipedrive"),
                };
                self.once(slot, value, prop_span, key);
            }
        }
        field
    }

    fn simple_type(&mut self, pair: Pair<'_, Rule>) -> FieldType {
        if pair.as_str() == "choice" {
            self.error(
                self.span(&pair),
                "a choice field must list its values",
                "write the values in brackets: `choice[\"Price\", \"Timing\"]`",
            );
            return FieldType::Text;
        }
        let options = [
            ("text", FieldType::Text),
            ("number", FieldType::Number),
            ("currency", FieldType::Currency),
            ("percent", FieldType::Percent),
            ("date", FieldType::Date),
            ("bool", FieldType::Bool),
            ("choice", FieldType::Text),
        ];
        let word = pair.as_str();
        if let Some((_, ty)) = options.iter().find(|(name, _)| *name == word) {
            return ty.clone();
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let help = did_you_mean(word, names.iter().copied(), || {
            format!("use one of {}", list_names(&names).replace(" and ", " or "))
        });
        self.error(
            self.span(&pair),
            format!("`{word}` is not a field type"),
            help,
        );
        FieldType::Text
    }

    fn tool(&mut self, pair: Pair<'_, Rule>) -> Tool {
        let (name, label, rest) = self.head(pair);
        let mut tool = Tool {
            name,
            label,
            kind: None,
            link: None,
            description: None,
        };
        for block in rest {
            for prop in block.into_inner() {
                let prop_span = self.span(&prop);
                let rule = prop.as_rule();
                let value = prop.into_inner().nth(1).expect("grammar: value");
                match rule {
                    Rule::kind => {
                        let v = self.name(value);
                        self.once(&mut tool.kind, v, prop_span, "kind")
                    }
                    Rule::link => {
                        let v = self.text(value);
                        self.once(&mut tool.link, v, prop_span, "link")
                    }
                    _ => {
                        let v = self.text(value);
                        self.once(&mut tool.description, v, prop_span, "description")
                    }
                }
            }
        }
        tool
    }

    fn segment(&mut self, pair: Pair<'_, Rule>) -> Segment {
        let (name, label, rest) = self.head(pair);
        let mut segment = Segment {
            name,
            label,
            description: None,
            when: None,
        };
        for block in rest {
            for prop in block.into_inner() {
                let prop_span = self.span(&prop);
                let rule = prop.as_rule();
                let value = prop.into_inner().nth(1).expect("grammar: value");
                if rule == Rule::when_condition {
                    if let Some(e) = self.expr(value) {
                        self.once(&mut segment.when, e, prop_span, "when");
                    }
                } else {
                    let v = self.text(value);
                    self.once(&mut segment.description, v, prop_span, "description");
                }
            }
        }
        segment
    }

    fn criteria(&mut self, pair: Pair<'_, Rule>) -> Criteria {
        let (name, label, rest) = self.head(pair);
        let mut items = Vec::new();
        for item in rest {
            let mut inner = item.into_inner();
            let item_name = self.name(inner.next().expect("grammar: criterion name"));
            if let Some(expr) = self.expr(inner.next().expect("grammar: criterion expr")) {
                items.push(Criterion {
                    name: item_name,
                    expr,
                });
            }
        }
        Criteria { name, label, items }
    }

    fn scoring(&mut self, pair: Pair<'_, Rule>) -> Scoring {
        let (name, label, rest) = self.head(pair);
        let mut scoring = Scoring {
            name,
            label,
            rules: Vec::new(),
            threshold: None,
        };
        for item in rest {
            let item_span = self.span(&item);
            if item.as_rule() == Rule::threshold {
                let number = item.into_inner().nth(1).expect("grammar: threshold value");
                let value = Prop {
                    value: self.number(&number),
                    span: self.span(&number),
                };
                self.once(&mut scoring.threshold, value, item_span, "threshold");
            } else {
                let mut inner = item.into_inner();
                let points_pair = inner.next().expect("grammar: points");
                let points = Prop {
                    value: self.number(&points_pair),
                    span: self.span(&points_pair),
                };
                if let Some(when) = self.expr(inner.nth(1).expect("grammar: score condition")) {
                    scoring.rules.push(ScoreRule { points, when });
                }
            }
        }
        scoring
    }

    fn process(&mut self, pair: Pair<'_, Rule>) -> Process {
        let (name, label, rest) = self.head(pair);
        let mut process = new_process(name, label);
        for item in rest {
            self.process_item(&mut process, item);
        }
        process
    }

    fn process_item(&mut self, process: &mut Process, item: Pair<'_, Rule>) {
        let item_span = self.span(&item);
        match item.as_rule() {
            Rule::extends => {
                process.extends = Some(self.name(item.into_inner().nth(1).expect("grammar")))
            }
            Rule::selling_model => {
                let value = item.into_inner().nth(1).expect("grammar");
                let options = SellingModel::ALL.map(|m| (m.as_str(), m));
                if let Some(m) = self.choice(value, "selling model", &options) {
                    let prop = Prop {
                        value: m,
                        span: item_span,
                    };
                    self.once(&mut process.model, prop, item_span, "model");
                }
            }
            Rule::owner => {
                let value = item.into_inner().nth(1).expect("grammar");
                if value.as_rule() == Rule::string {
                    let v = self.text(value);
                    self.once(&mut process.owner, v, item_span, "owner");
                } else {
                    self.error(
                        self.span(&value),
                        "a process owner is written as text",
                        format!("write `owner: \"{}\"`", value.as_str()),
                    );
                }
            }
            Rule::description => {
                let v = self.text(item.into_inner().nth(1).expect("grammar"));
                self.once(&mut process.description, v, item_span, "description");
            }
            Rule::segments => {
                let v = self.names(item.into_inner().nth(1).expect("grammar"));
                self.once(&mut process.segments, v, item_span, "segments");
            }
            Rule::stage => {
                let stage = self.stage(item);
                process.stages.push(stage);
            }
            Rule::remove_stage => {
                let n = self.name(item.into_inner().nth(2).expect("grammar"));
                process.removed.push(n);
            }
            Rule::renamed_from => {
                let old = self.name(item.into_inner().nth(1).expect("grammar: an id"));
                self.once(&mut process.renamed_from, old, item_span, "renamed_from");
            }
            _ => {}
        }
    }

    fn stage(&mut self, pair: Pair<'_, Rule>) -> Stage {
        let (name, label, rest) = self.head(pair);
        let mut stage = Stage {
            name,
            label,
            ..Stage::default()
        };
        for prop in rest {
            let prop_span = self.span(&prop);
            let rule = prop.as_rule();
            let mut inner = prop.into_inner();
            let keyword = inner.next().expect("grammar: property keyword");
            let key = keyword.as_str().to_string();
            match rule {
                Rule::owner => {
                    let value = inner.next().expect("grammar");
                    if value.as_rule() == Rule::ident {
                        let v = self.name(value);
                        self.once(&mut stage.owner, v, prop_span, &key);
                    } else {
                        self.error(
                            self.span(&value),
                            "a stage owner is a role, not text",
                            "declare a role (`role ae \"Account Executive\"`) and write `owner: ae`",
                        );
                    }
                }
                Rule::probability => {
                    let value = inner.next().expect("grammar");
                    let v = Prop {
                        value: self.number(&value),
                        span: self.span(&value),
                    };
                    self.once(&mut stage.probability, v, prop_span, &key);
                }
                Rule::forecast => {
                    let options = Forecast::ALL.map(|f| (f.as_str(), f));
                    if let Some(f) = self.choice(
                        inner.next().expect("grammar"),
                        "forecast category",
                        &options,
                    ) {
                        let v = Prop {
                            value: f,
                            span: prop_span,
                        };
                        self.once(&mut stage.forecast, v, prop_span, &key);
                    }
                }
                Rule::outcome => {
                    let options = [("won", Outcome::Won), ("lost", Outcome::Lost)];
                    if let Some(o) =
                        self.choice(inner.next().expect("grammar"), "stage outcome", &options)
                    {
                        let v = Prop {
                            value: o,
                            span: prop_span,
                        };
                        self.once(&mut stage.outcome, v, prop_span, &key);
                    }
                }
                Rule::objective
                | Rule::description
                | Rule::guidance
                | Rule::salesforce
                | Rule::hubspot
                | Rule::pipedrive => {
                    let v = self.text(inner.next().expect("grammar"));
                    let slot = match rule {
                        Rule::objective => &mut stage.objective,
                        Rule::description => &mut stage.description,
                        Rule::salesforce => &mut stage.salesforce,
                        Rule::hubspot => &mut stage.hubspot,
                        Rule::pipedrive => &mut stage.pipedrive,
                        _ => &mut stage.guidance,
                    };
                    self.once(slot, v, prop_span, &key);
                }
                Rule::renamed_from => {
                    let old = self.name(inner.next().expect("grammar: an id"));
                    self.once(&mut stage.renamed_from, old, prop_span, &key);
                }
                Rule::expected | Rule::stale_after => {
                    let value = inner.next().expect("grammar");
                    let v = Prop {
                        value: self.duration(value),
                        span: prop_span,
                    };
                    if rule == Rule::expected {
                        self.once(&mut stage.expected, v, prop_span, &key);
                    } else {
                        self.once(&mut stage.stale_after, v, prop_span, &key);
                    }
                }
                Rule::activities => {
                    let v: Vec<Text> = inner.map(|p| self.text(p)).collect();
                    self.once(&mut stage.activities, v, prop_span, &key);
                }
                Rule::tools | Rule::requires => {
                    let v = self.names(inner.next().expect("grammar"));
                    if rule == Rule::tools {
                        self.once(&mut stage.tools, v, prop_span, &key);
                    } else {
                        self.once(&mut stage.requires, v, prop_span, &key);
                    }
                }
                Rule::exit => {
                    if let Some(e) = self.expr(inner.next().expect("grammar")) {
                        self.once(&mut stage.exit, e, prop_span, &key);
                    }
                }
                Rule::follow_up => {
                    let text = self.text(inner.next().expect("grammar"));
                    let after = self.duration(inner.nth(1).expect("grammar"));
                    stage
                        .follow_ups
                        .get_or_insert_with(Vec::new)
                        .push(FollowUp {
                            text,
                            after,
                            span: prop_span,
                        });
                }
                Rule::automation => {
                    let trigger = match inner
                        .next()
                        .expect("grammar")
                        .into_inner()
                        .next()
                        .map(|p| p.as_rule())
                    {
                        Some(Rule::kw_entered) => Trigger::Entered,
                        Some(Rule::kw_exited) => Trigger::Exited,
                        _ => Trigger::Stale,
                    };
                    let action = self.action(inner.next().expect("grammar"));
                    stage
                        .automations
                        .get_or_insert_with(Vec::new)
                        .push(Automation {
                            trigger,
                            action,
                            span: prop_span,
                        });
                }
                Rule::next => {
                    let v = Prop {
                        value: self.names(inner.next().expect("grammar")),
                        span: prop_span,
                    };
                    self.once(&mut stage.next, v, prop_span, &key);
                }
                Rule::from => {
                    let value = inner.next().expect("grammar");
                    let from = if value.as_rule() == Rule::kw_any {
                        From::Any(self.span(&value))
                    } else {
                        From::Stages(self.names(value))
                    };
                    let v = Prop {
                        value: from,
                        span: prop_span,
                    };
                    self.once(&mut stage.from, v, prop_span, &key);
                }
                _ => {}
            }
        }
        stage
    }

    fn action(&mut self, pair: Pair<'_, Rule>) -> Action {
        let rule = pair.as_rule();
        let mut inner = pair.into_inner().skip(1);
        match rule {
            Rule::task => {
                let text = self.text(inner.next().expect("grammar"));
                let (mut role, mut due) = (None, None);
                while let Some(p) = inner.next() {
                    match p.as_rule() {
                        Rule::kw_for => role = inner.next().map(|p| self.name(p)),
                        Rule::kw_due => due = inner.next().map(|p| self.duration(p)),
                        _ => {}
                    }
                }
                Action::Task { text, role, due }
            }
            Rule::email => {
                let template = self.text(inner.next().expect("grammar"));
                let after = inner.nth(1).map(|p| self.duration(p));
                Action::Email { template, after }
            }
            _ => Action::Notify {
                role: self.name(inner.next().expect("grammar")),
            },
        }
    }

    /// Lowers an `expr` pair; reports and returns `None` when it nests too deeply.
    fn expr(&mut self, pair: Pair<'_, Rule>) -> Option<Expr> {
        let whole = self.span(&pair);
        let clauses = 1 + pair
            .clone()
            .into_inner()
            .flatten()
            .filter(|p| matches!(p.as_rule(), Rule::op_and | Rule::op_or))
            .count();
        if clauses > MAX_EXPR_CLAUSES {
            self.error(
                Loc::new(self.file, Span::new(whole.span.start, whole.span.start + 1)),
                format!(
                    "this condition has {} clauses, more than the {} a condition may have",
                    group_thousands(clauses as f64),
                    group_thousands(MAX_EXPR_CLAUSES as f64)
                ),
                "split it into named criteria (`criteria name { item: ... }`) and refer to them",
            );
            return None;
        }
        match self.expr_inner(pair, 0) {
            Ok(expr) => Some(expr),
            Err(ExprError::TooDeep) => {
                self.error(
                    Loc::new(self.file, Span::new(whole.span.start, whole.span.start + 1)),
                    format!("this condition is nested more than {MAX_EXPR_DEPTH} levels deep"),
                    "split it into named criteria (`criteria name { item: ... }`) and refer to them",
                );
                None
            }
        }
    }

    fn expr_inner(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Result<Expr, ExprError> {
        // Refuse deep nesting before descending, so hostile input cannot exhaust the stack.
        let mut nots = 0;
        let mut longest = 0;
        for child in pair.clone().into_inner() {
            if child.as_rule() == Rule::op_not {
                nots += 1;
                longest = longest.max(nots);
            } else {
                nots = 0;
            }
        }
        if depth + longest > MAX_EXPR_DEPTH {
            return Err(ExprError::TooDeep);
        }
        let (file, offset) = (self.file, self.offset);
        let this = std::cell::RefCell::new(self);
        let result = pratt()
            .map_primary(|primary| match primary.as_rule() {
                Rule::group => {
                    let inner = primary.into_inner().next().expect("grammar: group");
                    this.borrow_mut().expr_inner(inner, depth + 1)
                }
                _ => Ok(Expr::Condition(this.borrow_mut().condition(primary))),
            })
            .map_prefix(|op, rhs| Ok(Expr::Not(Box::new(rhs?), span_of(file, offset, &op))))
            .map_infix(|lhs, op, rhs| {
                let (l, r) = (Box::new(lhs?), Box::new(rhs?));
                Ok(match op.as_rule() {
                    Rule::op_and => Expr::And(l, r),
                    _ => Expr::Or(l, r),
                })
            })
            .parse(pair.into_inner());
        result
    }

    fn condition(&mut self, pair: Pair<'_, Rule>) -> Condition {
        let whole = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.name(inner.next().expect("grammar: condition name"));
        let test = match inner.next() {
            None => Test::Holds,
            Some(t) => match t.as_rule() {
                Rule::is_set => Test::IsSet,
                Rule::is_not_set => Test::IsNotSet,
                Rule::comparison => {
                    let mut parts = t.into_inner();
                    let op_pair = parts.next().expect("grammar: operator");
                    let op = match op_pair.as_str() {
                        "==" => CompareOp::Eq,
                        "!=" => CompareOp::Ne,
                        "<" => CompareOp::Lt,
                        "<=" => CompareOp::Le,
                        ">" => CompareOp::Gt,
                        _ => CompareOp::Ge,
                    };
                    let value = self.literal(parts.next().expect("grammar: literal"));
                    Test::Compare {
                        op,
                        op_span: self.span(&op_pair),
                        value,
                    }
                }
                _ => Test::In(
                    t.into_inner()
                        .filter(|p| p.as_rule() != Rule::kw_in)
                        .map(|p| self.literal(p))
                        .collect(),
                ),
            },
        };
        Condition {
            name,
            test,
            span: whole,
        }
    }

    fn literal(&mut self, pair: Pair<'_, Rule>) -> Lit {
        let value = match pair.as_rule() {
            Rule::percentage => Literal::Percent(self.number(&pair)),
            Rule::number => Literal::Number(self.number(&pair)),
            Rule::string => Literal::Text(self.text(pair.clone()).value),
            Rule::kw_true => Literal::Bool(true),
            _ => Literal::Bool(false),
        };
        Lit {
            value,
            span: self.span(&pair),
        }
    }
}

fn new_process(name: Name, label: Option<Text>) -> Process {
    Process {
        name,
        label,
        extends: None,
        model: None,
        owner: None,
        description: None,
        segments: None,
        stages: Vec::new(),
        removed: Vec::new(),
        renamed_from: None,
    }
}

enum ExprError {
    TooDeep,
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left))
            .op(Op::prefix(Rule::op_not))
    })
}
