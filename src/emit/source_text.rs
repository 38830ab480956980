//! Model expressions printed back in `.sales` syntax, for outputs that show the condition as
//! written (`amount >= 25000 and competitor != "Initech"`). Parentheses appear only where the
//! precedence (`not` over `and` over `or`) needs them, so the text parses back to the same tree.

use crate::model::{Expr, Model, Test};

/// The expression as it would be written in a `.sales` file.
pub fn expr_source(model: &Model, expr: &Expr) -> String {
    print(model, expr, Precedence::Or)
}

/// How tightly the surrounding operator binds; an operand that binds more loosely than its
/// context needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precedence {
    Or,
    And,
    Not,
}

fn print(model: &Model, expr: &Expr, context: Precedence) -> String {
    let (text, own) = match expr {
        // A chain of one operator is joined in a loop (its length is the input's to choose).
        Expr::Or(..) => (join(model, expr, " or ", Precedence::Or), Precedence::Or),
        Expr::And(..) => (join(model, expr, " and ", Precedence::And), Precedence::And),
        Expr::Not(inner) => (
            format!("not {}", print(model, inner, Precedence::Not)),
            Precedence::Not,
        ),
        Expr::Field { field, test, .. } => {
            (field_test(&model.field(*field).id, test), Precedence::Not)
        }
        Expr::Criteria { criteria, .. } => (model.criteria(*criteria).id.clone(), Precedence::Not),
    };
    if own < context {
        format!("({text})")
    } else {
        text
    }
}

fn join(model: &Model, chain: &Expr, operator: &str, own: Precedence) -> String {
    let parts: Vec<String> = chain
        .chain()
        .into_iter()
        .map(|e| print(model, e, own))
        .collect();
    parts.join(operator)
}

fn field_test(field: &str, test: &Test) -> String {
    match test {
        Test::IsTrue => field.to_string(),
        Test::IsSet => format!("{field} is set"),
        Test::IsNotSet => format!("{field} is not set"),
        Test::Compare(op, value) => format!("{field} {} {}", op.as_str(), value.source()),
        Test::In(values) => {
            let values: Vec<String> = values.iter().map(|v| v.source()).collect();
            format!("{field} in [{}]", values.join(", "))
        }
    }
}
