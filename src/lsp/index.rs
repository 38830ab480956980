//! Every name a file declares or uses, with where: what go to definition, references, rename,
//! hover and the outlines read.

use crate::source::Loc;
use crate::syntax::ast::{self, Declaration, Expr};
use std::collections::HashMap;

/// What a name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Role,
    Field,
    Tool,
    Segment,
    Criteria,
    Scoring,
    Process,
    Stage,
    /// An item of a criteria (`budget: amount > 0`).
    Criterion,
    /// A name in a condition: a field, or a criteria.
    Value,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::Field => "field",
            Kind::Tool => "tool",
            Kind::Segment => "segment",
            Kind::Criteria => "criteria",
            Kind::Scoring => "scoring",
            Kind::Process => "process",
            Kind::Stage => "stage",
            Kind::Criterion => "criterion",
            Kind::Value => "field or criteria",
        }
    }
}

/// One place a name is written.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub kind: Kind,
    pub name: String,
    pub loc: Loc,
    /// Whether this is where the name is declared.
    pub def: bool,
    /// For stages, the process the name is written in; for criteria items, their criteria.
    pub scope: Option<String>,
}

/// An `import` as written: the span of its path (with the quotes) and the path.
#[derive(Clone, Debug)]
pub struct ImportPath {
    pub loc: Loc,
    pub written: String,
}

#[derive(Clone, Debug, Default)]
pub struct FileIndex {
    /// In source order.
    pub occurrences: Vec<Occurrence>,
    pub imports: Vec<ImportPath>,
    /// Process name to the name of the process it extends.
    pub extends: HashMap<String, String>,
    /// The values of each choice field.
    pub choices: HashMap<String, Vec<String>>,
    /// Declarations by (kind, name), the first one of each.
    defs: HashMap<(Kind, String), Loc>,
    /// Stage declarations by (process, stage).
    stages: HashMap<(String, String), Loc>,
}

impl FileIndex {
    pub fn of(tree: &ast::File) -> FileIndex {
        let mut index = FileIndex::default();
        for declaration in &tree.declarations {
            index.declaration(declaration);
        }
        index.occurrences.sort_by_key(|o| o.loc.span.start);
        index.finish();
        index
    }

    /// The declarations of several files as one index, for completing names while a file
    /// does not parse: the first file's declarations win.
    pub fn merged<'a>(parts: impl IntoIterator<Item = &'a FileIndex>) -> FileIndex {
        let mut index = FileIndex::default();
        for part in parts {
            let defs = part.occurrences.iter().filter(|o| o.def).cloned();
            index.occurrences.extend(defs);
            for (process, base) in &part.extends {
                index.extends.entry(process.clone()).or_insert(base.clone());
            }
            for (field, values) in &part.choices {
                index.choices.entry(field.clone()).or_insert(values.clone());
            }
        }
        index.finish();
        index
    }

    fn finish(&mut self) {
        let index = self;
        for o in index.occurrences.iter().filter(|o| o.def) {
            match (o.kind, &o.scope) {
                (Kind::Stage, Some(process)) => {
                    let key = (process.clone(), o.name.clone());
                    index.stages.entry(key).or_insert(o.loc);
                }
                (Kind::Criterion, _) => {}
                (kind, _) => {
                    index.defs.entry((kind, o.name.clone())).or_insert(o.loc);
                }
            }
        }
    }

    /// Where `name` of `kind` (not a stage) is declared in this file.
    pub fn def(&self, kind: Kind, name: &str) -> Option<Loc> {
        self.defs.get(&(kind, name.to_string())).copied()
    }

    /// Where stage `name` of `process` is declared in this file.
    pub fn stage(&self, process: &str, name: &str) -> Option<Loc> {
        self.stages
            .get(&(process.to_string(), name.to_string()))
            .copied()
    }

    /// The name written at byte `offset`, if any.
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        let i = self
            .occurrences
            .partition_point(|o| o.loc.span.start <= offset);
        self.occurrences[..i]
            .iter()
            .rev()
            .take(4)
            .find(|o| o.loc.span.start <= offset && offset <= o.loc.span.end)
    }

    pub fn import_at(&self, offset: usize) -> Option<&ImportPath> {
        self.imports
            .iter()
            .find(|i| i.loc.span.start <= offset && offset <= i.loc.span.end)
    }

    fn add(&mut self, kind: Kind, name: &ast::Name, def: bool, scope: Option<&str>) {
        if name.text.is_empty() {
            return;
        }
        self.occurrences.push(Occurrence {
            kind,
            name: name.text.clone(),
            loc: name.span,
            def,
            scope: scope.map(str::to_string),
        });
    }

    fn declaration(&mut self, declaration: &Declaration) {
        match declaration {
            Declaration::Import(import) => self.imports.push(ImportPath {
                loc: import.path.span,
                written: import.path.value.clone(),
            }),
            Declaration::Role(role) => self.add(Kind::Role, &role.name, true, None),
            Declaration::Field(field) => {
                self.add(Kind::Field, &field.name, true, None);
                if let ast::FieldType::Choice(values) = &field.ty.value {
                    let values = values.iter().map(|v| v.value.clone()).collect();
                    self.choices.insert(field.name.text.clone(), values);
                }
            }
            Declaration::Tool(tool) => self.add(Kind::Tool, &tool.name, true, None),
            Declaration::Segment(segment) => {
                self.add(Kind::Segment, &segment.name, true, None);
                if let Some(when) = &segment.when {
                    self.expr(when);
                }
            }
            Declaration::Criteria(criteria) => {
                self.add(Kind::Criteria, &criteria.name, true, None);
                for item in &criteria.items {
                    let scope = Some(criteria.name.text.as_str());
                    self.add(Kind::Criterion, &item.name, true, scope);
                    self.expr(&item.expr);
                }
            }
            Declaration::Scoring(scoring) => {
                self.add(Kind::Scoring, &scoring.name, true, None);
                for rule in &scoring.rules {
                    self.expr(&rule.when);
                }
            }
            Declaration::Process(process) => self.process(process),
        }
    }

    fn process(&mut self, process: &ast::Process) {
        let id = process.name.text.as_str();
        self.add(Kind::Process, &process.name, true, None);
        if let Some(base) = &process.extends {
            self.add(Kind::Process, base, false, None);
            self.extends.insert(id.to_string(), base.text.clone());
        }
        for segment in process.segments.iter().flatten() {
            self.add(Kind::Segment, segment, false, None);
        }
        for removed in &process.removed {
            self.add(Kind::Stage, removed, false, Some(id));
        }
        for stage in &process.stages {
            self.stage_declaration(id, stage);
        }
    }

    fn stage_declaration(&mut self, process: &str, stage: &ast::Stage) {
        self.add(Kind::Stage, &stage.name, true, Some(process));
        if let Some(owner) = &stage.owner {
            self.add(Kind::Role, owner, false, None);
        }
        for tool in stage.tools.iter().flatten() {
            self.add(Kind::Tool, tool, false, None);
        }
        for field in stage.requires.iter().flatten() {
            self.add(Kind::Field, field, false, None);
        }
        if let Some(exit) = &stage.exit {
            self.expr(exit);
        }
        for automation in stage.automations.iter().flatten() {
            match &automation.action {
                ast::Action::Task {
                    role: Some(role), ..
                }
                | ast::Action::Notify { role } => self.add(Kind::Role, role, false, None),
                _ => {}
            }
        }
        for next in stage.next.iter().flat_map(|n| &n.value) {
            self.add(Kind::Stage, next, false, Some(process));
        }
        if let Some(ast::From::Stages(from)) = stage.from.as_ref().map(|f| &f.value) {
            for name in from {
                self.add(Kind::Stage, name, false, Some(process));
            }
        }
    }

    /// Walks a condition with a stack of its own: a long chain of `and` nests deeply.
    fn expr(&mut self, expr: &Expr) {
        let mut stack = vec![expr];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Or(a, b) | Expr::And(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Expr::Not(inner, _) => stack.push(inner),
                Expr::Condition(c) => self.add(Kind::Value, &c.name, false, None),
            }
        }
    }
}
