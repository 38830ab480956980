//! `exit:` conditions as SQL over a deal's field columns. SQL's three-valued logic does what
//! the audit does (src/audit/condition.rs): a field with no column is unknown (`NULL`), and
//! `and`, `or` and `not` of an unknown follow Kleene's rules in both; an empty value is not
//! set, so a comparison on it is false, never unknown.

use super::dialect::Dialect;
use crate::model::{
    criteria_bottom_up, CompareOp, CriteriaId, Expr, FieldId, FieldType, Literal, Model, Test,
};
use std::rc::Rc;

/// The longest condition written, in bytes: criteria that use a criteria twice double it at
/// every level, and a warehouse refuses a query long before this.
pub const MAX_CONDITION: usize = 1_000_000;

/// A condition that would be longer than [`MAX_CONDITION`].
#[derive(Debug)]
pub struct TooLong;

/// The conditions of one model, each criteria compiled once.
pub struct Conditions<'a> {
    model: &'a Model,
    d: Dialect,
    /// The SQL of a field's value, `None` when the data has no column for it.
    column: &'a dyn Fn(FieldId) -> Option<String>,
    criteria: Vec<Option<Rc<str>>>,
}

impl<'a> Conditions<'a> {
    pub fn new(
        model: &'a Model,
        d: Dialect,
        column: &'a dyn Fn(FieldId) -> Option<String>,
    ) -> Self {
        Conditions {
            model,
            d,
            column,
            criteria: vec![None; model.criteria.len()],
        }
    }

    /// A boolean SQL expression: true when `expr` holds, false when it does not, null when
    /// it reads a field the data does not hold.
    pub fn compile(&mut self, expr: &Expr) -> Result<String, TooLong> {
        let order = criteria_bottom_up(self.model, &expr.named_criteria(), |c| {
            self.criteria[c.0].is_some()
        });
        for id in order {
            let items = &self.model.criteria(id).items;
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                parts.push(self.expr(&item.expr)?);
            }
            let text = join(&parts, "AND", "TRUE")?;
            self.criteria[id.0] = Some(text.into());
        }
        self.expr(expr)
    }

    fn expr(&self, expr: &Expr) -> Result<String, TooLong> {
        match expr {
            Expr::And(..) | Expr::Or(..) => {
                let op = if matches!(expr, Expr::And(..)) {
                    "AND"
                } else {
                    "OR"
                };
                let parts = expr
                    .chain()
                    .into_iter()
                    .map(|e| self.expr(e))
                    .collect::<Result<Vec<_>, _>>()?;
                join(&parts, op, "TRUE")
            }
            Expr::Not(inner) => Ok(format!("(NOT {})", self.expr(inner)?)),
            Expr::Criteria { criteria, .. } => Ok(self.criteria_text(*criteria)),
            Expr::Field { field, test, .. } => Ok(self.test(*field, test)),
        }
    }

    /// A criteria in a cycle (which the checker reports) is not compiled: it holds.
    fn criteria_text(&self, id: CriteriaId) -> String {
        self.criteria[id.0].as_deref().unwrap_or("TRUE").to_string()
    }

    fn test(&self, field: FieldId, test: &Test) -> String {
        let Some(value) = (self.column)(field) else {
            return "CAST(NULL AS BOOLEAN)".into();
        };
        let ty = &self.model.field(field).ty;
        match test {
            Test::IsSet => format!("({value} IS NOT NULL)"),
            Test::IsNotSet => format!("({value} IS NULL)"),
            Test::IsTrue if *ty == FieldType::Bool => format!("COALESCE({value}, FALSE)"),
            Test::IsTrue => "FALSE".into(),
            Test::Compare(op, literal) => match self.literal(ty, literal) {
                Some(l) => format!("COALESCE({value} {} {l}, FALSE)", operator(*op)),
                None => "FALSE".into(),
            },
            Test::In(literals) => {
                let list: Vec<String> = literals
                    .iter()
                    .filter_map(|l| self.literal(ty, l))
                    .collect();
                if list.is_empty() {
                    "FALSE".into()
                } else {
                    format!("COALESCE({value} IN ({}), FALSE)", list.join(", "))
                }
            }
        }
    }

    /// The literal as SQL of the field's value type; `None` when a value of that type never
    /// compares with it (the comparison is then false, as in the audit).
    fn literal(&self, ty: &FieldType, literal: &Literal) -> Option<String> {
        match (ty, literal) {
            (
                FieldType::Number | FieldType::Currency | FieldType::Percent,
                Literal::Number(n) | Literal::Percent(n),
            ) => Some(self.d.number(*n)),
            (FieldType::Text | FieldType::Choice(_), Literal::Text(t)) => Some(self.d.string(t)),
            (FieldType::Bool, Literal::Bool(b)) => Some(b.to_string().to_uppercase()),
            _ => None,
        }
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

/// `(a AND b AND c)`; one part stands alone, none is `empty`.
fn join(parts: &[String], op: &str, empty: &str) -> Result<String, TooLong> {
    let length: usize = parts.iter().map(|p| p.len() + op.len() + 2).sum::<usize>() + 2;
    if length > MAX_CONDITION {
        return Err(TooLong);
    }
    Ok(match parts {
        [] => empty.to_string(),
        [one] => one.clone(),
        _ => format!("({})", parts.join(&format!(" {op} "))),
    })
}
