//! Conditions: segment rules, criteria items, scorings and exits, with their field tests
//! typed and their criteria cycles reported.

use super::*;

impl<'a> Resolver<'a> {
    /// Segment conditions, criteria items and scorings, once every name is declared.
    pub(super) fn resolve_conditions(&mut self, decls: &[(FileId, &'a ast::Declaration)]) {
        use ast::Declaration as D;
        for (_, decl) in decls {
            match decl {
                D::Segment(segment) => {
                    let Some(&id) = self.segments.get(segment.name.text.as_str()) else {
                        continue;
                    };
                    if self.model.segments[id.0].loc != segment.name.span {
                        continue;
                    }
                    let when = segment.when.as_ref().and_then(|e| self.expr(e));
                    self.model.segments[id.0].when = when;
                }
                D::Criteria(criteria) => {
                    let Some(&id) = self.criteria.get(criteria.name.text.as_str()) else {
                        continue;
                    };
                    if self.model.criteria[id.0].loc != criteria.name.span {
                        continue;
                    }
                    let mut items = Vec::new();
                    let mut names: HashMap<&str, Loc> = HashMap::new();
                    for item in &criteria.items {
                        if let Some(first) = names.get(item.name.text.as_str()) {
                            self.diagnostics.push(duplicate_definition::diagnostic(
                                "criteria item",
                                &item.name.text,
                                item.name.span,
                                *first,
                            ));
                            continue;
                        }
                        names.insert(&item.name.text, item.name.span);
                        if let Some(expr) = self.expr(&item.expr) {
                            items.push(Criterion {
                                name: item.name.text.clone(),
                                expr,
                                loc: item.name.span,
                            });
                        }
                    }
                    self.model.criteria[id.0].items = items;
                }
                D::Scoring(scoring) => {
                    if self.scorings.get(scoring.name.text.as_str()) != Some(&scoring.name.span) {
                        continue;
                    }
                    let mut rules = Vec::new();
                    let mut incomplete = false;
                    for rule in &scoring.rules {
                        if let Some(when) = self.expr(&rule.when) {
                            rules.push(ScoreRule {
                                points: rule.points.value,
                                when,
                                loc: rule.points.span,
                            });
                        } else {
                            incomplete = true;
                        }
                    }
                    self.model.scorings.push(Scoring {
                        id: scoring.name.text.clone(),
                        label: label(&scoring.name, &scoring.label),
                        rules,
                        threshold: scoring.threshold.as_ref().map_or(0.0, |t| t.value),
                        threshold_loc: scoring
                            .threshold
                            .as_ref()
                            .map_or(scoring.name.span, |t| t.span),
                        incomplete,
                        loc: scoring.name.span,
                    });
                }
                _ => {}
            }
        }
        self.report_criteria_cycles();
    }

    /// A criteria that refers back to itself can never be evaluated.
    fn report_criteria_cycles(&mut self) {
        let n = self.model.criteria.len();
        // 0 = unvisited, 1 = on the path, 2 = done.
        let mut state = vec![0u8; n];
        let mut closing: Vec<(usize, Loc)> = Vec::new();
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            // (criteria, the criteria it refers to, how many of those are visited)
            type Frame = (usize, Vec<(CriteriaId, Loc)>, usize);
            let mut stack: Vec<Frame> = Vec::new();
            let refs = |model: &Model, c: usize| -> Vec<(CriteriaId, Loc)> {
                let mut out = Vec::new();
                for item in &model.criteria[c].items {
                    collect_criteria_refs(&item.expr, &mut out);
                }
                out
            };
            state[start] = 1;
            stack.push((start, refs(&self.model, start), 0));
            while let Some((node, children, next)) = stack.last_mut() {
                if *next >= children.len() {
                    state[*node] = 2;
                    stack.pop();
                    continue;
                }
                let (child, loc) = children[*next];
                *next += 1;
                match state[child.0] {
                    0 => {
                        state[child.0] = 1;
                        let grandchildren = refs(&self.model, child.0);
                        stack.push((child.0, grandchildren, 0));
                    }
                    1 => {
                        let via = self.model.criteria[*node].id.clone();
                        let target = self.model.criteria[child.0].id.clone();
                        self.diagnostics
                            .push(type_mismatch::criteria_cycle(&target, &via, loc));
                        closing.push((*node, loc));
                    }
                    _ => {}
                }
            }
        }
        // The model keeps no circle, so nothing that expands criteria can loop, even with
        // the rule turned off.
        for (node, loc) in closing {
            self.model.criteria[node].items.retain(|item| {
                let mut refs = Vec::new();
                collect_criteria_refs(&item.expr, &mut refs);
                !refs.iter().any(|(_, at)| *at == loc)
            });
        }
    }

    /// Resolves a condition. Every part is resolved (to report every independent mistake);
    /// the result is `None` if any part is wrong.
    pub(super) fn expr(&mut self, expr: &ast::Expr) -> Option<Expr> {
        match expr {
            ast::Expr::Or(a, b) | ast::Expr::And(a, b) => {
                let a = self.expr(a);
                let b = self.expr(b);
                let (a, b) = (Box::new(a?), Box::new(b?));
                Some(match expr {
                    ast::Expr::Or(..) => Expr::Or(a, b),
                    _ => Expr::And(a, b),
                })
            }
            ast::Expr::Not(e, _) => Some(Expr::Not(Box::new(self.expr(e)?))),
            ast::Expr::Condition(c) => self.condition(c),
        }
    }

    fn condition(&mut self, c: &ast::Condition) -> Option<Expr> {
        let name = c.name.text.as_str();
        if let Some(&field) = self.fields.get(name) {
            self.usage.fields[field.0] = true;
            let f = &self.model.fields[field.0];
            let test = match &c.test {
                ast::Test::Holds => {
                    if f.ty != FieldType::Bool {
                        self.diagnostics
                            .push(type_mismatch::not_a_condition(f, c.name.span));
                        return None;
                    }
                    Test::IsTrue
                }
                ast::Test::IsSet => Test::IsSet,
                ast::Test::IsNotSet => Test::IsNotSet,
                ast::Test::Compare { op, op_span, value } => {
                    if let Some(d) = type_mismatch::check_compare(f, *op, *op_span, value) {
                        self.diagnostics.push(d);
                        return None;
                    }
                    Test::Compare(*op, value.value.clone())
                }
                ast::Test::In(values) => {
                    let mut ok = true;
                    for value in values {
                        if let Some(d) =
                            type_mismatch::check_compare(f, CompareOp::Eq, value.span, value)
                        {
                            self.diagnostics.push(d);
                            ok = false;
                            if f.ty == FieldType::Date {
                                break;
                            }
                        }
                    }
                    if !ok {
                        return None;
                    }
                    Test::In(values.iter().map(|v| v.value.clone()).collect())
                }
            };
            return Some(Expr::Field {
                field,
                test,
                loc: c.span,
            });
        }
        if let Some(&criteria) = self.criteria.get(name) {
            self.usage.criteria[criteria.0] = true;
            if c.test != ast::Test::Holds {
                self.diagnostics
                    .push(type_mismatch::criteria_tested(name, c.span));
                return None;
            }
            return Some(Expr::Criteria {
                criteria,
                loc: c.name.span,
            });
        }
        let candidates: Vec<&str> = self
            .model
            .fields
            .iter()
            .map(|f| f.id.as_str())
            .chain(self.model.criteria.iter().map(|c| c.id.as_str()))
            .collect();
        self.diagnostics.push(unknown_reference::diagnostic(
            "field or criteria",
            name,
            c.name.span,
            &candidates,
        ));
        None
    }
}

fn collect_criteria_refs(expr: &Expr, out: &mut Vec<(CriteriaId, Loc)>) {
    out.extend(expr.leaves().into_iter().filter_map(|leaf| match leaf {
        super::Leaf::Criteria(criteria, loc) => Some((criteria, loc)),
        super::Leaf::Field(..) => None,
    }));
}
