//! Conditions as Salesforce formulas: `amount >= 25000 and competitor != "Initech"` becomes
//! `AND(Amount__c >= 25000, NOT(ISPICKVAL(Competitor__c, "Initech")))`.
//!
//! A formula spells every criteria out in full, so criteria that use a criteria twice double
//! it at every level. [`Formulas::measure`] gives a formula's length from lengths computed
//! once per criteria, without writing it; only a formula within Salesforce's limit is then
//! written by [`Formulas::compile`], from the criteria's compiled items, also made once.

use crate::crm::{field_name, salesforce_custom_name, Crm};
use crate::model::{
    criteria_bottom_up, format_number, CompareOp, Expr, Field, FieldType, Literal, Model, Test,
};
use std::rc::Rc;

/// Salesforce's limit on the length of a formula (a validation rule's or a formula field's),
/// in characters.
pub const MAX_FORMULA: u64 = 3_900;

/// The object whose fields a formula reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
    Opportunity,
    /// Lead scores: the Lead has the process's custom fields under the same names, and
    /// stands-in for the standard Opportunity fields it lacks ([`lead_field_name`]).
    Lead,
}

/// Standard Opportunity fields that Lead has too, with the same meaning, and that conversion
/// carries to the opportunity by itself.
const SHARED_WITH_LEAD: [&str; 1] = ["LeadSource"];

/// The Lead field a lead score reads for `field`: its own name for a custom field or a
/// standard field Lead shares; for any other standard Opportunity field (`Amount`), the
/// custom field named after the field's id (`Amount__c`), which the build creates on Lead.
pub fn lead_field_name(field: &Field) -> String {
    let name = field_name(Crm::Salesforce, field);
    if name.ends_with("__c")
        || SHARED_WITH_LEAD
            .iter()
            .any(|s| s.eq_ignore_ascii_case(&name))
    {
        name
    } else {
        salesforce_custom_name(&field.id)
    }
}

fn name_on(object: Object, field: &Field) -> String {
    match object {
        Object::Opportunity => field_name(Crm::Salesforce, field),
        Object::Lead => lead_field_name(field),
    }
}

/// The conditions of one model as formulas.
pub struct Formulas<'m> {
    model: &'m Model,
    object: Object,
    /// Per criteria, once measured: its items as the items of an `AND`.
    sizes: Vec<Option<Size>>,
    /// Per criteria, once compiled: the items of its `AND`, shared by criteria that are only
    /// another criteria.
    items: Vec<Option<Rc<Vec<String>>>>,
}

/// The items of an `AND` or `OR` call: how many, and their length together (saturating, so
/// a criteria doubled ten thousand times is just too long).
#[derive(Clone, Copy, Default)]
struct Size {
    count: u64,
    chars: u64,
}

impl Size {
    fn one(chars: u64) -> Size {
        Size { count: 1, chars }
    }

    fn add(&mut self, other: Size) {
        self.count = self.count.saturating_add(other.count);
        self.chars = self.chars.saturating_add(other.chars);
    }

    /// The length of `call(function, items, empty)`.
    fn call(self, function: &str, empty: &str) -> u64 {
        match self.count {
            0 => empty.len() as u64,
            1 => self.chars,
            n => (function.len() as u64 + 2)
                .saturating_add(self.chars)
                .saturating_add(2 * (n - 1)),
        }
    }
}

impl<'m> Formulas<'m> {
    pub fn new(model: &'m Model) -> Self {
        Self::on(model, Object::Opportunity)
    }

    /// Formulas reading the fields of `object`.
    pub fn on(model: &'m Model, object: Object) -> Self {
        Formulas {
            model,
            object,
            sizes: vec![None; model.criteria.len()],
            items: vec![None; model.criteria.len()],
        }
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The length in characters of `compile(expr)`, without writing it.
    pub fn measure(&mut self, expr: &Expr) -> u64 {
        let order = criteria_bottom_up(self.model, &expr.named_criteria(), |c| {
            self.sizes[c.0].is_some()
        });
        for id in order {
            let mut size = Size::default();
            for item in &self.model.criteria(id).items {
                size.add(self.conjuncts_size(&item.expr));
            }
            self.sizes[id.0] = Some(size);
        }
        self.size(expr)
    }

    /// The formula for `expr`, true exactly when the condition holds. Criteria are expanded
    /// into the AND of their items, and nested ANDs and ORs are flattened into one call each.
    /// Call it only for a condition that [`Formulas::measure`] found within the limit.
    pub fn compile(&mut self, expr: &Expr) -> String {
        let order = criteria_bottom_up(self.model, &expr.named_criteria(), |c| {
            self.items[c.0].is_some()
        });
        for id in order {
            let items = &self.model.criteria(id).items;
            let shared = match items.as_slice() {
                [only] => match &only.expr {
                    Expr::Criteria { criteria, .. } => self.items[criteria.0].clone(),
                    _ => None,
                },
                _ => None,
            };
            let compiled = shared.unwrap_or_else(|| {
                let mut all = Vec::new();
                for item in items {
                    all.extend(self.conjuncts(&item.expr));
                }
                Rc::new(all)
            });
            self.items[id.0] = Some(compiled);
        }
        self.formula(expr)
    }

    fn size(&self, expr: &Expr) -> u64 {
        match expr {
            Expr::And(..) | Expr::Criteria { .. } => self.conjuncts_size(expr).call("AND", "TRUE"),
            Expr::Or(..) => self.disjuncts_size(expr).call("OR", "FALSE"),
            Expr::Not(inner) => self.size(inner).saturating_add(5),
            Expr::Field { field, test, .. } => {
                length(&field_test(self.model, self.object, *field, test))
            }
        }
    }

    /// The items of a chain of ANDs, criteria counted as ANDed in. A criteria not measured
    /// yet closes a cycle (an error the checker reports) and adds nothing.
    fn conjuncts_size(&self, expr: &Expr) -> Size {
        let mut size = Size::default();
        for e in and_chain(expr) {
            match e {
                Expr::Criteria { criteria, .. } => {
                    size.add(self.sizes[criteria.0].unwrap_or_default())
                }
                other => size.add(Size::one(self.size(other))),
            }
        }
        size
    }

    fn disjuncts_size(&self, expr: &Expr) -> Size {
        let mut size = Size::default();
        for e in expr.chain() {
            match e {
                Expr::Field {
                    field,
                    test: Test::In(values),
                    ..
                } => {
                    for item in in_items(self.model, self.object, *field, values) {
                        size.add(Size::one(length(&item)));
                    }
                }
                other => size.add(Size::one(self.size(other))),
            }
        }
        size
    }

    fn formula(&self, expr: &Expr) -> String {
        match expr {
            Expr::And(..) | Expr::Criteria { .. } => call("AND", self.conjuncts(expr), "TRUE"),
            Expr::Or(..) => {
                let mut items = Vec::new();
                for e in expr.chain() {
                    match e {
                        // `x in [a, b]` inside an OR is one more set of alternatives.
                        Expr::Field {
                            field,
                            test: Test::In(values),
                            ..
                        } => items.extend(in_items(self.model, self.object, *field, values)),
                        other => items.push(self.formula(other)),
                    }
                }
                call("OR", items, "FALSE")
            }
            Expr::Not(inner) => format!("NOT({})", self.formula(inner)),
            Expr::Field { field, test, .. } => field_test(self.model, self.object, *field, test),
        }
    }

    fn conjuncts(&self, expr: &Expr) -> Vec<String> {
        let mut items = Vec::new();
        for e in and_chain(expr) {
            match e {
                Expr::Criteria { criteria, .. } => {
                    if let Some(compiled) = &self.items[criteria.0] {
                        items.extend(compiled.iter().cloned());
                    }
                }
                other => items.push(self.formula(other)),
            }
        }
        items
    }
}

/// The operands of a chain of ANDs (a criteria stands for its own items, ANDed in).
fn and_chain(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::And(..) => expr.chain(),
        other => vec![other],
    }
}

fn length(text: &str) -> u64 {
    text.chars().count() as u64
}

/// The formula that is true when `field` has no value. `None` for a checkbox, which is
/// never blank in Salesforce (it is false instead).
pub fn is_blank(model: &Model, field: crate::model::FieldId) -> Option<String> {
    blank_on(model, Object::Opportunity, field)
}

fn blank_on(model: &Model, object: Object, field: crate::model::FieldId) -> Option<String> {
    let f = model.field(field);
    let name = name_on(object, f);
    match f.ty {
        FieldType::Bool => None,
        FieldType::Choice(_) => Some(format!("ISBLANK(TEXT({name}))")),
        _ => Some(format!("ISBLANK({name})")),
    }
}

/// A formula string literal: backslashes, quotes and line breaks escaped.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `OR(a, b, ...)`, or the only item alone; `empty` when there is none.
pub fn call(function: &str, items: Vec<String>, empty: &str) -> String {
    match items.len() {
        0 => empty.to_string(),
        1 => items.into_iter().next().expect("one item"),
        _ => format!("{function}({})", items.join(", ")),
    }
}

/// One equality per value of an `in` list.
fn in_items(
    model: &Model,
    object: Object,
    field: crate::model::FieldId,
    values: &[Literal],
) -> Vec<String> {
    let f = model.field(field);
    let name = name_on(object, f);
    values
        .iter()
        .map(|v| compare(&f.ty, &name, CompareOp::Eq, v))
        .collect()
}

fn field_test(model: &Model, object: Object, field: crate::model::FieldId, test: &Test) -> String {
    let f = model.field(field);
    let name = name_on(object, f);
    match test {
        Test::IsTrue => name,
        Test::IsSet => match blank_on(model, object, field) {
            Some(blank) => format!("NOT({blank})"),
            None => "TRUE".into(),
        },
        Test::IsNotSet => blank_on(model, object, field).unwrap_or_else(|| "FALSE".into()),
        Test::Compare(op, value) => compare(&f.ty, &name, *op, value),
        Test::In(values) => call("OR", in_items(model, object, field, values), "FALSE"),
    }
}

fn compare(ty: &FieldType, name: &str, op: CompareOp, value: &Literal) -> String {
    match (ty, value) {
        (FieldType::Choice(_), Literal::Text(text)) => {
            let test = format!("ISPICKVAL({name}, {})", string(text));
            negate_unless_eq(op, test)
        }
        (_, Literal::Bool(b)) => {
            // `x == true` and `x != false` are the checkbox itself; the others its negation.
            if (op == CompareOp::Eq) == *b {
                name.to_string()
            } else {
                format!("NOT({name})")
            }
        }
        (_, literal) => format!("{name} {} {}", op.formula_symbol(), constant(literal)),
    }
}

/// `test` for `==`, `NOT(test)` for `!=` (the only operators a choice allows).
fn negate_unless_eq(op: CompareOp, test: String) -> String {
    if op == CompareOp::Ne {
        format!("NOT({test})")
    } else {
        test
    }
}

/// A literal as a formula constant. A percent field reads as a fraction in formulas
/// (20% is 0.2), even though the API and the page show 20.
fn constant(value: &Literal) -> String {
    match value {
        Literal::Number(n) => format_number(*n),
        Literal::Percent(p) => format_number(p / 100.0),
        Literal::Text(text) => string(text),
        Literal::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
    }
}
