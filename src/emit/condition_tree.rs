//! Conditions as data for the model document: a JSON tree a program can evaluate without
//! parsing `.sales` syntax. Chains of one operator are flat lists (`a and b and c` is one
//! `and` of three items); a criteria is referenced by name, never inlined, since a criteria
//! that uses another twice would double the tree at every level.

use crate::model::{CompareOp, Expr, Literal, Model, Test};
use serde::Serialize;

/// One node of a condition (see `docs/model.schema.json`, `condition_tree`).
#[derive(Serialize)]
#[serde(tag = "op")]
pub enum Tree {
    #[serde(rename = "and")]
    And { items: Vec<Tree> },
    #[serde(rename = "or")]
    Or { items: Vec<Tree> },
    #[serde(rename = "not")]
    Not { item: Box<Tree> },
    /// A comparison; a bool field written alone is `== true`.
    #[serde(rename = "==")]
    Eq { field: String, value: Value },
    #[serde(rename = "!=")]
    Ne { field: String, value: Value },
    #[serde(rename = "<")]
    Lt { field: String, value: Value },
    #[serde(rename = "<=")]
    Le { field: String, value: Value },
    #[serde(rename = ">")]
    Gt { field: String, value: Value },
    #[serde(rename = ">=")]
    Ge { field: String, value: Value },
    #[serde(rename = "set")]
    Set { field: String },
    #[serde(rename = "not_set")]
    NotSet { field: String },
    /// The field's value is one of `values`.
    #[serde(rename = "in")]
    In { field: String, values: Vec<Value> },
    /// Every item of the named criteria holds.
    #[serde(rename = "criteria")]
    Criteria { name: String },
}

/// A literal: numbers (percentages in percent, `20%` is 20), strings and booleans.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Value {
    Integer(i64),
    Number(f64),
    Text(String),
    Bool(bool),
}

fn value(literal: &Literal) -> Value {
    match literal {
        Literal::Number(n) | Literal::Percent(n) => {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Value::Integer(*n as i64)
            } else {
                Value::Number(*n)
            }
        }
        Literal::Text(text) => Value::Text(text.clone()),
        Literal::Bool(b) => Value::Bool(*b),
    }
}

/// The tree of `expr`. Its depth is what the parser allows: chains are flattened in a loop.
pub fn tree(model: &Model, expr: &Expr) -> Tree {
    match expr {
        Expr::And(..) => Tree::And {
            items: expr.chain().into_iter().map(|e| tree(model, e)).collect(),
        },
        Expr::Or(..) => Tree::Or {
            items: expr.chain().into_iter().map(|e| tree(model, e)).collect(),
        },
        Expr::Not(inner) => Tree::Not {
            item: Box::new(tree(model, inner)),
        },
        Expr::Criteria { criteria, .. } => Tree::Criteria {
            name: model.criteria(*criteria).id.clone(),
        },
        Expr::Field { field, test, .. } => {
            let field = model.field(*field).id.clone();
            match test {
                Test::IsTrue => Tree::Eq {
                    field,
                    value: Value::Bool(true),
                },
                Test::IsSet => Tree::Set { field },
                Test::IsNotSet => Tree::NotSet { field },
                Test::In(values) => Tree::In {
                    field,
                    values: values.iter().map(value).collect(),
                },
                Test::Compare(op, literal) => {
                    let value = value(literal);
                    match op {
                        CompareOp::Eq => Tree::Eq { field, value },
                        CompareOp::Ne => Tree::Ne { field, value },
                        CompareOp::Lt => Tree::Lt { field, value },
                        CompareOp::Le => Tree::Le { field, value },
                        CompareOp::Gt => Tree::Gt { field, value },
                        CompareOp::Ge => Tree::Ge { field, value },
                    }
                }
            }
        }
    }
}
