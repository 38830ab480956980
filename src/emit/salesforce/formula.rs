//! Conditions as Salesforce formulas: `amount >= 25000 and competitor != "Initech"` becomes
//! `AND(Amount__c >= 25000, NOT(ISPICKVAL(Competitor__c, "Initech")))`.

use super::names::field_api_name;
use crate::model::{format_number, CompareOp, CriteriaId, Expr, FieldType, Literal, Model, Test};

/// The formula for `expr`, true exactly when the condition holds. Criteria are expanded into
/// the AND of their items, and nested ANDs and ORs are flattened into one call each.
pub fn condition(model: &Model, expr: &Expr) -> String {
    compile(model, expr, &mut Vec::new())
}

/// The formula that is true when `field` has no value. `None` for a checkbox, which is
/// never blank in Salesforce (it is false instead).
pub fn is_blank(model: &Model, field: crate::model::FieldId) -> Option<String> {
    let f = model.field(field);
    let name = field_api_name(f);
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

fn compile(model: &Model, expr: &Expr, stack: &mut Vec<CriteriaId>) -> String {
    match expr {
        Expr::And(..) | Expr::Criteria { .. } => {
            let mut items = Vec::new();
            conjuncts(model, expr, stack, &mut items);
            call("AND", items, "TRUE")
        }
        Expr::Or(..) => {
            let mut items = Vec::new();
            disjuncts(model, expr, stack, &mut items);
            call("OR", items, "FALSE")
        }
        Expr::Not(inner) => format!("NOT({})", compile(model, inner, stack)),
        Expr::Field { field, test, .. } => field_test(model, *field, test),
    }
}

/// The items of a chain of ANDs, with criteria items counted as ANDed in.
fn conjuncts(model: &Model, expr: &Expr, stack: &mut Vec<CriteriaId>, out: &mut Vec<String>) {
    match expr {
        Expr::And(a, b) => {
            conjuncts(model, a, stack, out);
            conjuncts(model, b, stack, out);
        }
        Expr::Criteria { criteria, .. } => {
            // The checker rejects criteria that include themselves; this only guards recursion.
            if stack.contains(criteria) {
                return;
            }
            stack.push(*criteria);
            for item in &model.criteria(*criteria).items {
                conjuncts(model, &item.expr, stack, out);
            }
            stack.pop();
        }
        other => out.push(compile(model, other, stack)),
    }
}

fn disjuncts(model: &Model, expr: &Expr, stack: &mut Vec<CriteriaId>, out: &mut Vec<String>) {
    match expr {
        Expr::Or(a, b) => {
            disjuncts(model, a, stack, out);
            disjuncts(model, b, stack, out);
        }
        // `x in [a, b]` inside an OR is one more set of alternatives.
        Expr::Field {
            field,
            test: Test::In(values),
            ..
        } => out.extend(in_items(model, *field, values)),
        other => out.push(compile(model, other, stack)),
    }
}

/// One equality per value of an `in` list.
fn in_items(model: &Model, field: crate::model::FieldId, values: &[Literal]) -> Vec<String> {
    let f = model.field(field);
    let name = field_api_name(f);
    values
        .iter()
        .map(|v| compare(&f.ty, &name, CompareOp::Eq, v))
        .collect()
}

fn field_test(model: &Model, field: crate::model::FieldId, test: &Test) -> String {
    let f = model.field(field);
    let name = field_api_name(f);
    match test {
        Test::IsTrue => name,
        Test::IsSet => match is_blank(model, field) {
            Some(blank) => format!("NOT({blank})"),
            None => "TRUE".into(),
        },
        Test::IsNotSet => is_blank(model, field).unwrap_or_else(|| "FALSE".into()),
        Test::Compare(op, value) => compare(&f.ty, &name, *op, value),
        Test::In(values) => call("OR", in_items(model, field, values), "FALSE"),
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
        (_, literal) => format!("{name} {} {}", operator(op), constant(literal)),
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

fn operator(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "<>",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
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
