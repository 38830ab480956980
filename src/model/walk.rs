//! Walking conditions with explicit stacks, never with recursion whose depth the input
//! controls: a chain of 50,000 `and`s or of 20,000 criteria each naming the previous one is
//! walked in a loop, and each criteria is looked into once, not once per path (criteria that
//! use a criteria twice per level would otherwise double the work at every level).

use super::{CompareOp, CriteriaId, Expr, FieldId, Literal, Model, Test};
use crate::source::Loc;
use std::collections::BTreeSet;

impl Expr {
    /// A bound on a number (`amount >= 40000`, `discount <= 20%`): the field, the ordering
    /// operator and the number or percent.
    pub fn bound(&self) -> Option<(FieldId, CompareOp, &Literal)> {
        match self {
            Expr::Field {
                field,
                test: Test::Compare(op, literal @ (Literal::Number(_) | Literal::Percent(_))),
                ..
            } if op.is_ordering() => Some((*field, *op, literal)),
            _ => None,
        }
    }

    /// The operands of a chain of one operator, in order: for `a and (b and c) and d`, the
    /// four tests; for an `or`, its alternatives; for anything else, the expression itself.
    /// What is left inside the operands (`not`, the other operator) is nested by parentheses
    /// or precedence only, which the parser bounds.
    pub fn chain(&self) -> Vec<&Expr> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match (self, e) {
                (Expr::And(..), Expr::And(a, b)) | (Expr::Or(..), Expr::Or(a, b)) => {
                    stack.push(b);
                    stack.push(a);
                }
                _ => out.push(e),
            }
        }
        out
    }

    /// What this condition itself tests, in source order: its field tests and the criteria
    /// it names, without looking inside them. The one walk over a condition's operators;
    /// the others below build on it.
    pub fn leaves(&self) -> Vec<Leaf<'_>> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Or(a, b) | Expr::And(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Expr::Not(inner) => stack.push(inner),
                Expr::Field { field, test, loc } => out.push(Leaf::Field(*field, test, *loc)),
                Expr::Criteria { criteria, loc } => out.push(Leaf::Criteria(*criteria, *loc)),
            }
        }
        out
    }

    /// Calls `f` on every field test, looking inside every criteria it uses, directly or
    /// through other criteria, once each.
    pub fn visit_fields<'m>(&'m self, model: &'m Model, f: &mut dyn FnMut(FieldId, &'m Test, Loc)) {
        visit_fields_from(model, self.leaves(), f);
    }

    /// Calls `f` on every field test written in this condition itself, without looking
    /// inside the criteria it names (for walks that visit every criteria anyway).
    pub fn visit_own_fields<'e>(&'e self, f: &mut dyn FnMut(FieldId, &'e Test, Loc)) {
        for leaf in self.leaves() {
            if let Leaf::Field(field, test, loc) = leaf {
                f(field, test, loc);
            }
        }
    }

    /// The criteria this condition names itself, without looking inside them, in order of
    /// first mention.
    pub fn named_criteria(&self) -> Vec<CriteriaId> {
        let mut found = Vec::new();
        for leaf in self.leaves() {
            if let Leaf::Criteria(criteria, _) = leaf {
                if !found.contains(&criteria) {
                    found.push(criteria);
                }
            }
        }
        found
    }

    /// Every criteria this condition uses, directly or through other criteria.
    pub fn criteria_used(&self, model: &Model) -> BTreeSet<CriteriaId> {
        let mut used = BTreeSet::new();
        let mut stack = self.named_criteria();
        while let Some(c) = stack.pop() {
            if used.insert(c) {
                for item in &model.criteria(c).items {
                    stack.extend(item.expr.named_criteria());
                }
            }
        }
        used
    }
}

/// What a condition tests: a field, or a criteria by name.
#[derive(Clone, Copy, Debug)]
pub enum Leaf<'e> {
    Field(FieldId, &'e Test, Loc),
    Criteria(CriteriaId, Loc),
}

/// Calls `f` on every field test of the items of `criteria`, looking inside the criteria
/// they use, once each.
pub fn visit_criteria_fields<'m>(
    model: &'m Model,
    criteria: CriteriaId,
    f: &mut dyn FnMut(FieldId, &'m Test, Loc),
) {
    let loc = model.criteria(criteria).loc;
    visit_fields_from(model, vec![Leaf::Criteria(criteria, loc)], f);
}

/// Field tests in source order, each criteria opened where it is named, the first time.
fn visit_fields_from<'m>(
    model: &'m Model,
    leaves: Vec<Leaf<'m>>,
    f: &mut dyn FnMut(FieldId, &'m Test, Loc),
) {
    let mut seen = BTreeSet::new();
    let mut stack = vec![leaves.into_iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            None => {
                stack.pop();
            }
            Some(Leaf::Field(field, test, loc)) => f(field, test, loc),
            Some(Leaf::Criteria(criteria, _)) => {
                if seen.insert(criteria) {
                    let items = &model.criteria(criteria).items;
                    let inside: Vec<Leaf<'m>> =
                        items.iter().flat_map(|i| i.expr.leaves()).collect();
                    stack.push(inside.into_iter());
                }
            }
        }
    }
}

/// The criteria reachable from `roots` that are not `done` yet, in an order where each comes
/// after every criteria its items name (a cycle, which the checker reports, is cut where it
/// closes). Criteria already `done` are not looked into again.
pub fn criteria_bottom_up(
    model: &Model,
    roots: &[CriteriaId],
    done: impl Fn(CriteriaId) -> bool,
) -> Vec<CriteriaId> {
    let mut order = Vec::new();
    let mut state = vec![0u8; model.criteria.len()]; // 0 new, 1 open, 2 done
    for &root in roots.iter().filter(|c| !done(**c)) {
        if state[root.0] != 0 {
            continue;
        }
        // (criteria, its dependencies, how many of them were pushed)
        let mut stack: Vec<(CriteriaId, Vec<CriteriaId>, usize)> = Vec::new();
        state[root.0] = 1;
        stack.push((root, direct_criteria(model, root), 0));
        while let Some((id, deps, next)) = stack.last_mut() {
            if let Some(&dep) = deps.get(*next) {
                *next += 1;
                if state[dep.0] == 0 && !done(dep) {
                    state[dep.0] = 1;
                    let deps = direct_criteria(model, dep);
                    stack.push((dep, deps, 0));
                }
            } else {
                state[id.0] = 2;
                order.push(*id);
                stack.pop();
            }
        }
    }
    order
}

/// The criteria that the items of `id` name themselves.
fn direct_criteria(model: &Model, id: CriteriaId) -> Vec<CriteriaId> {
    let mut found = Vec::new();
    for item in &model.criteria(id).items {
        for c in item.expr.named_criteria() {
            if !found.contains(&c) {
                found.push(c);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Criteria, Criterion};
    use crate::source::{FileId, Span};

    fn loc() -> Loc {
        Loc::new(FileId(0), Span::new(0, 0))
    }

    fn refers(c: usize) -> Expr {
        Expr::Criteria {
            criteria: CriteriaId(c),
            loc: loc(),
        }
    }

    /// c0 tests field 0; each later criteria names the previous one twice.
    fn doubling_chain(levels: usize) -> Model {
        let mut model = Model::default();
        for i in 0..levels {
            let expr = if i == 0 {
                Expr::Field {
                    field: FieldId(0),
                    test: Test::IsTrue,
                    loc: loc(),
                }
            } else {
                Expr::And(Box::new(refers(i - 1)), Box::new(refers(i - 1)))
            };
            model.criteria.push(Criteria {
                id: format!("c{i}"),
                label: format!("C{i}"),
                items: vec![Criterion {
                    name: "a".into(),
                    expr,
                    loc: loc(),
                }],
                loc: loc(),
            });
        }
        model
    }

    #[test]
    fn walks_long_chains_in_linear_time_and_constant_stack() {
        let model = doubling_chain(20_000);
        let top = refers(19_999);
        let mut tests = 0;
        top.visit_fields(&model, &mut |_, _, _| tests += 1);
        assert_eq!(tests, 1);
        assert_eq!(top.criteria_used(&model).len(), 20_000);
        let order = criteria_bottom_up(&model, &[CriteriaId(19_999)], |_| false);
        assert_eq!(order.first(), Some(&CriteriaId(0)));
        assert_eq!(order.len(), 20_000);
    }

    #[test]
    fn flattens_chains_of_one_operator() {
        let mut expr = refers(0);
        for i in 1..50_000 {
            expr = Expr::And(Box::new(expr), Box::new(refers(i % 3)));
        }
        assert_eq!(expr.chain().len(), 50_000);
        assert_eq!(expr.named_criteria().len(), 3);
        // Dropping a deep tree recurses too; leak it in this test rather than overflow.
        std::mem::forget(expr);
    }
}
