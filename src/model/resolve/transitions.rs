//! Transitions between stages: `next:`, the default move to the next stage, `from:`, and
//! what `remove stage` does to them.

use super::variants::Flat;
use super::*;

impl<'a> Resolver<'a> {
    /// Resolves the transitions of a process's stages (`next:` or the default, then
    /// `from:`), then drops its removed stages. Returns false when a removal named no stage,
    /// which makes the graph unreliable.
    pub(super) fn link(
        &mut self,
        flat: &Flat<'a>,
        stage_decls: &[&ast::Stage],
        index: &HashMap<&str, StageId>,
        stages: &mut Vec<Stage>,
    ) -> bool {
        let stage_names: Vec<&str> = stage_decls.iter().map(|s| s.name.text.as_str()).collect();
        let mut complete = true;
        // Transitions: `next:` or the default, then `from:`.
        for (i, decl) in stage_decls.iter().enumerate() {
            let open = stages[i].is_open();
            match &decl.next {
                // A terminal stage's `next:` is wrong as a whole (`terminal-has-next`).
                Some(_) if !open => {}
                Some(next) => {
                    for name in &next.value {
                        if flat.stale.contains(&name.span) {
                            stages[i].unresolved_next = true;
                            continue;
                        }
                        match index.get(name.text.as_str()) {
                            Some(&to) => add_transition(
                                &mut stages[i],
                                to,
                                TransitionKind::Listed,
                                name.span,
                            ),
                            None => {
                                self.diagnostics.push(unknown_reference::diagnostic(
                                    "stage",
                                    &name.text,
                                    name.span,
                                    &stage_names,
                                ));
                                stages[i].unresolved_next = true;
                            }
                        }
                    }
                }
                None if open && i + 1 < stages.len() => add_transition(
                    &mut stages[i],
                    StageId(i + 1),
                    TransitionKind::Default,
                    decl.name.span,
                ),
                None => {}
            }
        }
        for (target, decl) in stage_decls.iter().enumerate() {
            let Some(from) = &decl.from else { continue };
            match &from.value {
                ast::From::Any(any) => {
                    for (source, stage) in stages.iter_mut().enumerate() {
                        if source != target && stage.is_open() {
                            add_transition(stage, StageId(target), TransitionKind::From, *any);
                        }
                    }
                }
                ast::From::Stages(names) => {
                    for name in names {
                        if flat.stale.contains(&name.span) {
                            stages[target].unresolved_from = true;
                            continue;
                        }
                        match index.get(name.text.as_str()) {
                            Some(&source) if stages[source.0].is_open() => add_transition(
                                &mut stages[source.0],
                                StageId(target),
                                TransitionKind::From,
                                name.span,
                            ),
                            Some(&source) => {
                                self.diagnostics.push(terminal_has_next::from_terminal(
                                    &stages[source.0].id,
                                    &stages[target].id,
                                    name.span,
                                ))
                            }
                            None => {
                                self.diagnostics.push(unknown_reference::diagnostic(
                                    "stage",
                                    &name.text,
                                    name.span,
                                    &stage_names,
                                ));
                                stages[target].unresolved_from = true;
                            }
                        }
                    }
                }
            }
        }

        // `remove stage`: deals skip the removed stage and go where it would have sent them.
        let mut removed: Vec<usize> = Vec::new();
        for name in &flat.removed {
            match index.get(name.text.as_str()) {
                Some(id) => removed.push(id.0),
                None => {
                    self.diagnostics.push(unknown_reference::diagnostic(
                        "stage",
                        &name.text,
                        name.span,
                        &stage_names,
                    ));
                    complete = false;
                }
            }
        }
        if !removed.is_empty() {
            remove_stages(stages, &removed);
        }
        complete
    }
}

fn add_transition(stage: &mut Stage, to: StageId, kind: TransitionKind, loc: Loc) {
    if !stage.next.iter().any(|t| t.to == to) {
        stage.next.push(Transition { to, kind, loc });
    }
}

/// Drops `removed` stages; a transition into one goes to its forward `next` stages instead.
fn remove_stages(stages: &mut Vec<Stage>, removed: &[usize]) {
    let mut is_removed = vec![false; stages.len()];
    for &r in removed {
        is_removed[r] = true;
    }
    let is_removed = |i: usize| is_removed[i];
    // Where a deal that would enter stage `i` goes instead (following chains of removals).
    // Forward moves go to later stages, so from the last removed stage back to the first,
    // each one's targets are built from those of the removed stages it leads to, once (a
    // long chain of variants each removing a stage made walking every chain quartic).
    let mut descending = removed.to_vec();
    descending.sort_unstable_by(|a, b| b.cmp(a));
    descending.dedup();
    let mut redirect: HashMap<usize, Vec<usize>> = HashMap::new();
    for &r in &descending {
        let mut targets: Vec<usize> = Vec::new();
        for t in stages[r].next.iter().map(|t| t.to.0).filter(|&t| t > r) {
            if is_removed(t) {
                targets.extend(&redirect[&t]);
            } else {
                targets.push(t);
            }
        }
        targets.sort_unstable();
        targets.dedup();
        redirect.insert(r, targets);
    }
    let new_index: Vec<Option<usize>> = {
        let mut next = 0;
        (0..stages.len())
            .map(|i| {
                if is_removed(i) {
                    None
                } else {
                    next += 1;
                    Some(next - 1)
                }
            })
            .collect()
    };
    for (source, stage) in stages.iter_mut().enumerate() {
        let old = std::mem::take(&mut stage.next);
        for t in old {
            let targets = match redirect.get(&t.to.0) {
                Some(targets) => targets.clone(),
                None => vec![t.to.0],
            };
            // A move back to a removed stage that led here is no move at all.
            let redirected = redirect.contains_key(&t.to.0);
            for target in targets
                .into_iter()
                .filter(|&t| !(redirected && t == source))
            {
                if let Some(new) = new_index[target] {
                    add_transition(stage, StageId(new), t.kind, t.loc);
                }
            }
        }
    }
    let mut i = 0;
    stages.retain(|_| {
        let keep = !is_removed(i);
        i += 1;
        keep
    });
}
