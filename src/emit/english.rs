//! Conditions in plain English, for people: `amount >= 25000 and competitor != "Initech"`
//! reads "Amount is at least 25,000 and Main competitor is not Initech". Shared by the matrix,
//! the playbooks and CRM messages.
//!
//! A criteria reads by name, "meets BANT": its items are listed once, where the output lists
//! the criteria ([`criteria_items`]). Spelling them out at every use would double the text at
//! every level of criteria that use criteria twice.

use crate::model::{CompareOp, CriteriaId, Expr, FieldType, Literal, Model, Test};
pub use crate::value::group_thousands;

/// A condition as a sentence fragment.
pub fn condition(model: &Model, expr: &Expr) -> String {
    render(model, expr, Context::Top)
}

/// Each item of a criteria with its condition in words, for the list of criteria.
pub fn criteria_items(model: &Model, id: CriteriaId) -> Vec<(String, String)> {
    model
        .criteria(id)
        .items
        .iter()
        .map(|item| {
            (
                crate::model::label_from_id(&item.name),
                render(model, &item.expr, Context::Top),
            )
        })
        .collect()
}

/// A condition as one of several joined by "and": an `or` inside is put in parentheses.
pub fn conjunct(model: &Model, expr: &Expr) -> String {
    render(model, expr, Context::InAnd)
}

/// A single test as what a user must do about it: "Amount must be at least 40,000",
/// "Champion must be filled in". `None` for anything but one field test, possibly negated.
pub fn requirement(model: &Model, expr: &Expr) -> Option<String> {
    let (field, test, negated) = match expr {
        Expr::Field { field, test, .. } => (*field, test, false),
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Field { field, test, .. } => (*field, test, true),
            _ => return None,
        },
        _ => return None,
    };
    let f = model.field(field);
    let label = &f.label;
    let must = if negated { "must not be" } else { "must be" };
    Some(match test {
        Test::IsTrue => format!("{label} {must} checked"),
        Test::IsSet if negated => format!("{label} must be empty"),
        Test::IsSet => format!("{label} must be filled in"),
        Test::IsNotSet if negated => format!("{label} must be filled in"),
        Test::IsNotSet => format!("{label} must be empty"),
        Test::Compare(op, value) => {
            let value = literal(&f.ty, value);
            let phrase = match (op, negated) {
                (CompareOp::Eq, false) | (CompareOp::Ne, true) => "must be",
                (CompareOp::Ne, false) | (CompareOp::Eq, true) => "must not be",
                (CompareOp::Lt, false) | (CompareOp::Ge, true) => "must be less than",
                (CompareOp::Le, false) | (CompareOp::Gt, true) => "must be at most",
                (CompareOp::Gt, false) | (CompareOp::Le, true) => "must be more than",
                (CompareOp::Ge, false) | (CompareOp::Lt, true) => "must be at least",
            };
            format!("{label} {phrase} {value}")
        }
        Test::In(values) => {
            let values: Vec<String> = values.iter().map(|v| literal(&f.ty, v)).collect();
            match values.len() {
                1 => format!("{label} {must} {}", values[0]),
                _ => format!("{label} {must} one of {}", joined(&values, "or")),
            }
        }
    })
}

/// "A", "A or B", "A, B or C" (with `word` "or"; "and" likewise).
pub fn joined(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

/// How a criteria reads where a condition uses it.
pub fn meets(model: &Model, id: CriteriaId) -> String {
    format!("meets {}", model.criteria(id).label)
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Top,
    InAnd,
    InOr,
    InNot,
}

/// Chains of one operator are joined in a loop; only `not` and parentheses nest, and the
/// parser bounds those.
fn render(model: &Model, expr: &Expr, cx: Context) -> String {
    match expr {
        Expr::And(..) => {
            let parts: Vec<String> = expr
                .chain()
                .into_iter()
                .map(|e| render(model, e, Context::InAnd))
                .collect();
            let text = parts.join(" and ");
            if cx == Context::InNot {
                format!("({text})")
            } else {
                text
            }
        }
        Expr::Or(..) => {
            let parts: Vec<String> = expr
                .chain()
                .into_iter()
                .map(|e| render(model, e, Context::InOr))
                .collect();
            let text = parts.join(" or ");
            if matches!(cx, Context::InAnd | Context::InNot) {
                format!("({text})")
            } else {
                text
            }
        }
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Field { field, test, .. } => {
                grouped(field_test(model, *field, test, true), test, cx)
            }
            Expr::Criteria { criteria, .. } => {
                format!("does not meet {}", model.criteria(*criteria).label)
            }
            other => format!("not {}", render(model, other, Context::InNot)),
        },
        Expr::Field { field, test, .. } => {
            grouped(field_test(model, *field, test, false), test, cx)
        }
        Expr::Criteria { criteria, .. } => meets(model, *criteria),
    }
}

/// A list test reads "Plan is one of Growth or Pro"; next to another `and` or `or` its own "or"
/// would blur where it ends, so it is put in parentheses there.
fn grouped(text: String, test: &Test, cx: Context) -> String {
    let is_list = matches!(test, Test::In(values) if values.len() > 1);
    if is_list && matches!(cx, Context::InAnd | Context::InOr) {
        format!("({text})")
    } else {
        text
    }
}

fn field_test(model: &Model, field: crate::model::FieldId, test: &Test, negated: bool) -> String {
    let f = model.field(field);
    let label = &f.label;
    let is = if negated { "is not" } else { "is" };
    match test {
        Test::IsTrue => format!("{label} is {}", if negated { "no" } else { "yes" }),
        Test::IsSet => format!("{label} is {}", if negated { "empty" } else { "filled in" }),
        Test::IsNotSet => format!("{label} is {}", if negated { "filled in" } else { "empty" }),
        Test::Compare(op, value) => {
            let value = literal(&f.ty, value);
            let phrase = match (op, negated) {
                (CompareOp::Eq, false) | (CompareOp::Ne, true) => "is",
                (CompareOp::Ne, false) | (CompareOp::Eq, true) => "is not",
                (CompareOp::Lt, false) | (CompareOp::Ge, true) => "is less than",
                (CompareOp::Le, false) | (CompareOp::Gt, true) => "is at most",
                (CompareOp::Gt, false) | (CompareOp::Le, true) => "is more than",
                (CompareOp::Ge, false) | (CompareOp::Lt, true) => "is at least",
            };
            format!("{label} {phrase} {value}")
        }
        Test::In(values) => {
            let values: Vec<String> = values.iter().map(|v| literal(&f.ty, v)).collect();
            let list = match values.len() {
                0 => String::new(),
                1 => values[0].clone(),
                n => format!("{} or {}", values[..n - 1].join(", "), values[n - 1]),
            };
            if values.len() == 1 {
                format!("{label} {is} {list}")
            } else {
                format!("{label} {is} one of {list}")
            }
        }
    }
}

/// A value as people write it: `25,000`, `20%`, `yes`, `Initech`.
pub fn literal(_ty: &FieldType, value: &Literal) -> String {
    match value {
        Literal::Number(n) => group_thousands(*n),
        Literal::Percent(p) => crate::value::percent(*p),
        Literal::Text(s) => s.clone(),
        Literal::Bool(true) => "yes".into(),
        Literal::Bool(false) => "no".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(25000.0), "25,000");
        assert_eq!(group_thousands(999.0), "999");
        assert_eq!(group_thousands(1234567.5), "1,234,567.5");
        assert_eq!(group_thousands(-1234.0), "-1,234");
    }
}
