//! Conditions (`exit:`, a segment's `when:`) evaluated on a deal's values (DEALS.md section 6):
//! an empty cell is not set, so a comparison on it is false; a field with no column makes the
//! condition unknown (`None`), and nothing is reported on an unknown condition.

use super::store::Value;
use crate::model::{CompareOp, CriteriaId, Expr, FieldId, Literal, Model, Test};

/// A field's value for a deal: `None` when no column holds the field.
pub type Lookup<'f, 'v> = &'f dyn Fn(FieldId) -> Option<&'v Value>;

pub fn eval(expr: &Expr, model: &Model, value: Lookup<'_, '_>) -> Option<bool> {
    eval_inner(expr, model, value, &mut Vec::new())
}

fn eval_inner(
    expr: &Expr,
    model: &Model,
    value: Lookup<'_, '_>,
    stack: &mut Vec<CriteriaId>,
) -> Option<bool> {
    match expr {
        Expr::Or(a, b) => match (
            eval_inner(a, model, value, stack),
            eval_inner(b, model, value, stack),
        ) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Expr::And(a, b) => match (
            eval_inner(a, model, value, stack),
            eval_inner(b, model, value, stack),
        ) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Expr::Not(e) => eval_inner(e, model, value, stack).map(|b| !b),
        Expr::Field { field, test, .. } => value(*field).map(|v| test_holds(test, v)),
        Expr::Criteria { criteria, .. } => {
            // A circle of criteria is reported by the checker; here it simply holds.
            if stack.contains(criteria) {
                return Some(true);
            }
            stack.push(*criteria);
            let mut all = Some(true);
            for item in &model.criteria(*criteria).items {
                match eval_inner(&item.expr, model, value, stack) {
                    Some(false) => {
                        all = Some(false);
                        break;
                    }
                    None => all = None,
                    Some(true) => {}
                }
            }
            stack.pop();
            all
        }
    }
}

fn test_holds(test: &Test, value: &Value) -> bool {
    if *value == Value::Unset {
        return *test == Test::IsNotSet;
    }
    match test {
        Test::IsSet => true,
        Test::IsNotSet => false,
        Test::IsTrue => *value == Value::Bool(true),
        Test::Compare(op, literal) => compare(value, *op, literal),
        Test::In(literals) => literals.iter().any(|l| compare(value, CompareOp::Eq, l)),
    }
}

fn compare(value: &Value, op: CompareOp, literal: &Literal) -> bool {
    let ordering = match (value, literal) {
        (Value::Number(n), Literal::Number(l) | Literal::Percent(l)) => n.partial_cmp(l),
        (Value::Text(t), Literal::Text(l)) => Some(t.as_ref().cmp(l.as_str())),
        (Value::Bool(b), Literal::Bool(l)) => Some(b.cmp(l)),
        _ => None,
    };
    let Some(ordering) = ordering else {
        return false;
    };
    use std::cmp::Ordering::*;
    match op {
        CompareOp::Eq => ordering == Equal,
        CompareOp::Ne => ordering != Equal,
        CompareOp::Lt => ordering == Less,
        CompareOp::Le => ordering != Greater,
        CompareOp::Gt => ordering == Greater,
        CompareOp::Ge => ordering != Less,
    }
}
