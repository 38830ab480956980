//! The transition graph of a process: reachability, dominators and `required_here`.

use super::{FieldId, Outcome, Stage};

/// Which stages a deal can reach from the entry (the first stage). A stage with a transition
/// to an unknown stage could lead anywhere, and one with an unknown `from:` could be entered
/// from anywhere, so neither makes other stages look unreachable.
pub fn reachable(stages: &[Stage]) -> Vec<bool> {
    let mut seen = vec![false; stages.len()];
    let mut stack: Vec<usize> = Vec::new();
    if !stages.is_empty() {
        stack.push(0);
    }
    stack.extend((0..stages.len()).filter(|&i| stages[i].unresolved_from));
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        if stages[i].unresolved_next {
            return vec![true; stages.len()];
        }
        stack.extend(stages[i].next_ids().map(|t| t.0).filter(|&t| !seen[t]));
    }
    seen
}

/// Which stages can still reach a won stage. An unknown transition target counts as able to.
pub fn reaches_won(stages: &[Stage]) -> Vec<bool> {
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); stages.len()];
    for (i, stage) in stages.iter().enumerate() {
        for to in stage.next_ids() {
            predecessors[to.0].push(i);
        }
    }
    let mut seen = vec![false; stages.len()];
    let mut stack: Vec<usize> = (0..stages.len())
        .filter(|&i| stages[i].outcome == Some(Outcome::Won) || stages[i].unresolved_next)
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        stack.extend(predecessors[i].iter().copied().filter(|&p| !seen[p]));
    }
    seen
}

/// Immediate dominators from the entry stage (Cooper, Harvey and Kennedy's iterative
/// algorithm over reverse postorder). `None` for the entry and for unreachable stages.
pub fn immediate_dominators(stages: &[Stage]) -> Vec<Option<usize>> {
    let n = stages.len();
    let mut idom: Vec<Option<usize>> = vec![None; n];
    if n == 0 {
        return idom;
    }
    // Postorder by an explicit stack, so deep graphs cannot overflow the call stack.
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    visited[0] = true;
    while let Some((node, child)) = stack.last_mut() {
        let next = &stages[*node].next;
        if *child < next.len() {
            let to = next[*child].to.0;
            *child += 1;
            if !visited[to] {
                visited[to] = true;
                stack.push((to, 0));
            }
        } else {
            order.push(*node);
            stack.pop();
        }
    }
    let mut rank = vec![usize::MAX; n];
    for (i, &node) in order.iter().enumerate() {
        rank[node] = i;
    }
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &node in &order {
        for to in stages[node].next_ids() {
            predecessors[to.0].push(node);
        }
    }
    idom[0] = Some(0);
    let intersect = |idom: &[Option<usize>], mut a: usize, mut b: usize| {
        while a != b {
            while rank[a] < rank[b] {
                a = idom[a].expect("processed");
            }
            while rank[b] < rank[a] {
                b = idom[b].expect("processed");
            }
        }
        a
    };
    let mut changed = true;
    while changed {
        changed = false;
        for &node in order.iter().rev().skip(1) {
            let mut new: Option<usize> = None;
            for &p in &predecessors[node] {
                if idom[p].is_none() {
                    continue;
                }
                new = Some(match new {
                    None => p,
                    Some(current) => intersect(&idom, p, current),
                });
            }
            if new.is_some() && idom[node] != new {
                idom[node] = new;
                changed = true;
            }
        }
    }
    idom[0] = None;
    idom
}

/// `required_here`: the `requires:` of every stage that strictly dominates a stage, plus its
/// own when it is terminal; a lost stage needs only its own, since losing is never blocked.
///
/// What a stage's strict dominators require is its immediate dominator's list plus that
/// dominator's own `requires:`, so each list is built once from its parent's, walking the
/// dominator tree from the entry (walking each stage's chain of dominators instead was
/// quadratic in a long process).
pub fn fill_required_here(stages: &mut [Stage]) {
    let n = stages.len();
    let idom = immediate_dominators(stages);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (stage, parent) in idom.iter().enumerate() {
        if let Some(parent) = parent {
            children[*parent].push(stage);
        }
    }
    // Fields required in every stage a stage's deals have passed (its strict dominators').
    let mut passed: Vec<Vec<FieldId>> = vec![Vec::new(); n];
    let mut stack: Vec<usize> = if n > 0 { vec![0] } else { Vec::new() };
    while let Some(d) = stack.pop() {
        for &child in &children[d] {
            let mut fields = passed[d].clone();
            add_new(&mut fields, &stages[d].requires);
            passed[child] = fields;
            stack.push(child);
        }
    }
    for (i, stage) in stages.iter_mut().enumerate() {
        let mut fields = if stage.outcome == Some(Outcome::Lost) {
            Vec::new()
        } else {
            std::mem::take(&mut passed[i])
        };
        if stage.outcome.is_some() {
            add_new(&mut fields, &stage.requires);
        }
        stage.required_here = fields;
    }
}

fn add_new(fields: &mut Vec<FieldId>, list: &[FieldId]) {
    for f in list {
        if !fields.contains(f) {
            fields.push(*f);
        }
    }
}
