//! `exit:` conditions as SQL over a deal's field columns. SQL's three-valued logic does what
//! the audit does (src/audit/condition.rs): a field with no column is unknown (`NULL`), and
//! `and`, `or` and `not` of an unknown follow Kleene's rules in both; an empty value is not
//! set, so a comparison on it is false, never unknown.

use super::dialect::Dialect;
use crate::model::{
    criteria_bottom_up, CriteriaId, Expr, FieldId, FieldType, Literal, Model, Test,
};
use std::rc::Rc;

/// The longest condition written, in bytes: criteria that use a criteria twice double it at
/// every level.
pub const MAX_CONDITION: usize = 20_000;
/// The deepest nesting of parentheses written: warehouses and SQL tools limit it.
pub const MAX_DEPTH: usize = 25;

/// A condition longer than [`MAX_CONDITION`] or nested deeper than [`MAX_DEPTH`].
#[derive(Debug)]
pub struct TooLong;

/// Compiled SQL and how deeply its parentheses nest.
#[derive(Clone)]
struct Sql {
    text: Rc<str>,
    depth: usize,
}

/// The conditions of one model, each criteria compiled once.
pub struct Conditions<'a> {
    model: &'a Model,
    d: Dialect,
    /// The SQL of a field's value, `None` when the data has no column for it.
    column: &'a dyn Fn(FieldId) -> Option<String>,
    criteria: Vec<Option<Sql>>,
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
            self.criteria[id.0] = Some(join(&parts, "AND", "TRUE")?);
        }
        Ok(self.expr(expr)?.text.to_string())
    }

    fn expr(&self, expr: &Expr) -> Result<Sql, TooLong> {
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
            Expr::Not(inner) => {
                let inner = self.expr(inner)?;
                checked(format!("(NOT {})", inner.text), inner.depth + 1)
            }
            Expr::Criteria { criteria, .. } => Ok(self.criteria_sql(*criteria)),
            Expr::Field { field, test, .. } => Ok(Sql {
                text: self.test(*field, test).into(),
                depth: 2,
            }),
        }
    }

    /// A criteria in a cycle (which the checker reports) is not compiled: it holds.
    fn criteria_sql(&self, id: CriteriaId) -> Sql {
        self.criteria[id.0].clone().unwrap_or(Sql {
            text: "TRUE".into(),
            depth: 0,
        })
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
                Some(l) => format!("COALESCE({value} {} {l}, FALSE)", op.formula_symbol()),
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

/// `(a AND b AND c)`; one part stands alone, none is `empty`.
fn join(parts: &[Sql], op: &str, empty: &str) -> Result<Sql, TooLong> {
    let length: usize = parts
        .iter()
        .map(|p| p.text.len() + op.len() + 2)
        .sum::<usize>()
        + 2;
    if length > MAX_CONDITION {
        return Err(TooLong);
    }
    match parts {
        [] => checked(empty.to_string(), 0),
        [one] => Ok(one.clone()),
        _ => {
            let texts: Vec<&str> = parts.iter().map(|p| &*p.text).collect();
            let depth = parts.iter().map(|p| p.depth).max().unwrap_or(0) + 1;
            checked(format!("({})", texts.join(&format!(" {op} "))), depth)
        }
    }
}

fn checked(text: String, depth: usize) -> Result<Sql, TooLong> {
    if text.len() > MAX_CONDITION || depth > MAX_DEPTH {
        return Err(TooLong);
    }
    Ok(Sql {
        text: text.into(),
        depth,
    })
}
