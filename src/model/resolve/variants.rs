//! Variants (`extends`): each process flattened with what it inherits, restates and removes.

use super::*;
use std::collections::HashSet;

/// A process with everything it inherits: the base's properties and stages with the
/// variant's restatements applied, in order.
#[derive(Clone, Default)]
pub(super) struct Flat<'a> {
    pub(super) label: Option<&'a ast::Text>,
    pub(super) model: Option<&'a ast::Prop<SellingModel>>,
    pub(super) owner: Option<&'a ast::Text>,
    pub(super) description: Option<&'a ast::Text>,
    pub(super) segments: Option<&'a Vec<ast::Name>>,
    /// Borrowed as written unless a variant restates something.
    pub(super) stages: Vec<Inherited<'a>>,
    pub(super) removed: Vec<&'a ast::Name>,
    pub(super) broken: bool,
    /// Its base is unknown or part of a cycle (reported once): only its own declarations are
    /// looked at, for their own mistakes and for what they use.
    pub(super) orphan: bool,
    /// Names in a variant's `next:` or `from:` that name a stage removed from it (reported
    /// once, where the variant wrote them); they lead nowhere.
    pub(super) stale: Vec<Loc>,
}

/// A stage as a variant inherits it: borrowed as written, or restated. A restated stage is
/// boxed so that every entry stays two words: a long chain of variants holds a list of its
/// stages per variant (a `Cow` of a stage was a kilobyte an entry).
#[derive(Clone)]
pub(super) enum Inherited<'a> {
    Written(&'a ast::Stage),
    Restated(Box<ast::Stage>),
}

impl Inherited<'_> {
    fn to_mut(&mut self) -> &mut ast::Stage {
        if let Inherited::Written(stage) = self {
            *self = Inherited::Restated(Box::new((*stage).clone()));
        }
        match self {
            Inherited::Restated(stage) => stage,
            Inherited::Written(_) => unreachable!("made owned above"),
        }
    }
}

impl std::ops::Deref for Inherited<'_> {
    type Target = ast::Stage;
    fn deref(&self) -> &ast::Stage {
        match self {
            Inherited::Written(stage) => stage,
            Inherited::Restated(stage) => stage,
        }
    }
}

impl AsRef<ast::Stage> for Inherited<'_> {
    fn as_ref(&self) -> &ast::Stage {
        self
    }
}

pub(super) fn flatten_variants<'a>(
    processes: &[&'a ast::Process],
    by_name: &HashMap<&'a str, usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Flat<'a>> {
    let n = processes.len();
    let mut done: Vec<Option<Flat<'a>>> = vec![None; n];
    // Walk each chain of `extends` to its root, then flatten back down.
    for start in 0..n {
        if done[start].is_some() {
            continue;
        }
        let mut chain = vec![start];
        let mut cycle = false;
        let mut unknown = false;
        loop {
            let current = *chain.last().unwrap();
            let Some(base) = &processes[current].extends else {
                break;
            };
            match by_name.get(base.text.as_str()) {
                Some(&b) if done[b].is_some() => {
                    chain.push(b);
                    break;
                }
                Some(&b) if chain.contains(&b) => {
                    cycle = true;
                    // Report the cycle once, at the first declared process in it.
                    let from = chain.iter().position(|&c| c == b).unwrap();
                    let members: Vec<usize> = chain[from..].to_vec();
                    let first = *members.iter().min().unwrap();
                    let names: Vec<&str> = members
                        .iter()
                        .map(|&m| processes[m].name.text.as_str())
                        .collect();
                    let at = processes[first].extends.as_ref().unwrap().span;
                    diagnostics.push(extends_cycle::diagnostic(
                        &names,
                        processes[first].name.text.as_str(),
                        at,
                    ));
                    for m in members {
                        done[m] = Some(Flat {
                            broken: true,
                            orphan: true,
                            ..own(processes[m])
                        });
                    }
                    break;
                }
                Some(&b) => chain.push(b),
                None => {
                    let names: Vec<&str> = processes.iter().map(|p| p.name.text.as_str()).collect();
                    diagnostics.push(unknown_reference::unknown_base(
                        &processes[current].name.text,
                        &base.text,
                        base.span,
                        &names,
                    ));
                    unknown = true;
                    break;
                }
            }
        }
        // Flatten from the deepest known base back to `start`.
        let mut base: Option<Flat<'a>> = None;
        for &p in chain.iter().rev() {
            if let Some(flat) = &done[p] {
                base = Some(flat.clone());
                continue;
            }
            let flat = match base.take() {
                Some(b) if !cycle => inherit(b, processes[p], diagnostics),
                _ => Flat {
                    broken: unknown || cycle,
                    orphan: unknown || cycle,
                    ..own(processes[p])
                },
            };
            done[p] = Some(flat.clone());
            base = Some(flat);
        }
    }
    done.into_iter().map(|f| f.unwrap_or_default()).collect()
}

fn own(process: &ast::Process) -> Flat<'_> {
    Flat {
        label: process.label.as_ref(),
        model: process.model.as_ref(),
        owner: process.owner.as_ref(),
        description: process.description.as_ref(),
        segments: process.segments.as_ref(),
        stages: process.stages.iter().map(Inherited::Written).collect(),
        removed: process.removed.iter().collect(),
        broken: false,
        orphan: false,
        stale: Vec::new(),
    }
}

fn inherit<'a>(
    base: Flat<'a>,
    variant: &'a ast::Process,
    diagnostics: &mut Vec<Diagnostic>,
) -> Flat<'a> {
    let mut flat = Flat {
        label: variant.label.as_ref().or(base.label),
        model: variant.model.as_ref().or(base.model),
        owner: variant.owner.as_ref().or(base.owner),
        description: variant.description.as_ref().or(base.description),
        segments: variant.segments.as_ref().or(base.segments),
        stages: base.stages,
        removed: base.removed,
        broken: base.broken,
        orphan: base.orphan,
        stale: base.stale,
    };
    for stage in &variant.stages {
        match flat
            .stages
            .iter_mut()
            .find(|s| s.name.text == stage.name.text)
        {
            Some(inherited) => restate(inherited.to_mut(), stage),
            None => {
                let at = flat
                    .stages
                    .iter()
                    .position(|s| s.outcome.is_some())
                    .unwrap_or(flat.stages.len());
                flat.stages.insert(at, Inherited::Written(stage));
            }
        }
    }
    let inherited_removals = flat.removed.len();
    flat.removed.extend(variant.removed.iter());
    if !flat.orphan {
        flat.stale
            .extend(removed_references(variant, &flat.removed, diagnostics));
        settle_removals(&mut flat, inherited_removals, variant);
    }
    flat
}

/// Drops the stages the base removed where dropping them means what removing them means,
/// so a variant's flattened form is as long as its own process, not as its whole chain of
/// bases: a long `extends` chain that removes a stage at every level stays linear.
///
/// Removing a stage sends the moves into it where it would have sent them. For an open
/// stage with neither `next:` nor `from:` that no stage names, that is the stage after it,
/// which is where the default move goes once it is gone. Other removals stay for
/// [`Resolver::link`], as do those the variant itself makes, so its own `next:` naming one
/// is still reported as naming a removed stage.
fn settle_removals(flat: &mut Flat<'_>, inherited: usize, variant: &ast::Process) {
    if inherited == 0 {
        return;
    }
    let mut named: HashSet<&str> = HashSet::new();
    // Each stage by name, with how many stages have that name (a duplicate stays).
    let mut by_name: HashMap<&str, (&ast::Stage, usize)> = HashMap::new();
    for stage in &flat.stages {
        by_name
            .entry(stage.name.text.as_str())
            .and_modify(|(_, count)| *count += 1)
            .or_insert((stage, 1));
        let next = stage.next.iter().flat_map(|n| &n.value);
        let from = stage.from.iter().flat_map(|f| match &f.value {
            ast::From::Stages(names) => names.as_slice(),
            ast::From::Any(_) => &[],
        });
        named.extend(next.chain(from).map(|n| n.text.as_str()));
    }
    named.extend(variant.removed.iter().map(|n| n.text.as_str()));
    let settled: HashSet<String> = flat.removed[..inherited]
        .iter()
        .map(|n| n.text.as_str())
        .filter(|name| !named.contains(name))
        .filter(|name| match by_name.get(name) {
            Some((stage, 1)) => {
                stage.outcome.is_none() && stage.next.is_none() && stage.from.is_none()
            }
            _ => false,
        })
        .map(str::to_string)
        .collect();
    if settled.is_empty() {
        return;
    }
    flat.stages
        .retain(|s| !settled.contains(s.name.text.as_str()));
    flat.removed.retain(|n| !settled.contains(n.text.as_str()));
}

/// The names in the variant's own `next:` and `from:` that name a stage removed from it,
/// each reported where the variant wrote it.
fn removed_references(
    variant: &ast::Process,
    removed: &[&ast::Name],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Loc> {
    let mut stale = Vec::new();
    for stage in &variant.stages {
        let next = stage.next.iter().flat_map(|n| &n.value);
        let from = stage.from.iter().flat_map(|f| match &f.value {
            ast::From::Stages(names) => names.as_slice(),
            ast::From::Any(_) => &[],
        });
        for name in next.chain(from) {
            if let Some(removal) = removed.iter().find(|r| r.text == name.text) {
                diagnostics.push(unknown_reference::removed_stage(
                    &variant.name.text,
                    &name.text,
                    name.span,
                    removal.span,
                ));
                stale.push(name.span);
            }
        }
    }
    stale
}

/// Applies the properties a variant restates; a restated list replaces the whole list. The
/// stage is then where the variant restates it, so what is wrong with it is reported there.
fn restate(stage: &mut ast::Stage, over: &ast::Stage) {
    stage.name.span = over.name.span;
    macro_rules! take {
        ($($prop:ident),*) => {$(
            if over.$prop.is_some() {
                stage.$prop = over.$prop.clone();
            }
        )*};
    }
    take!(
        label,
        owner,
        probability,
        forecast,
        objective,
        description,
        expected,
        stale_after,
        activities,
        tools,
        requires,
        exit,
        follow_ups,
        automations,
        guidance,
        next,
        from,
        outcome,
        salesforce,
        hubspot,
        pipedrive,
        renamed_from
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    /// Flattens `text`'s processes, as the resolver does.
    fn flats(file: &ast::File, check: impl FnOnce(&[Flat<'_>])) {
        let processes: Vec<&ast::Process> = file
            .declarations
            .iter()
            .filter_map(|d| match d {
                ast::Declaration::Process(p) => Some(p),
                _ => None,
            })
            .collect();
        let by_name: HashMap<&str, usize> = processes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.text.as_str(), i))
            .collect();
        let mut diagnostics = Vec::new();
        check(&flatten_variants(&processes, &by_name, &mut diagnostics));
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn a_chain_that_removes_a_stage_at_every_level_stays_as_long_as_its_processes() {
        let mut text = String::from(
            "process v0 {\n  stage s0 { probability: 20% }\n  stage x0 { probability: 40% }\n  stage won { outcome: won }\n}\n",
        );
        for i in 1..200 {
            let _ = writeln!(
                text,
                "process v{i} extends v{} {{\n  remove stage x{}\n  stage x{i} {{ probability: 60% }}\n}}",
                i - 1,
                i - 1
            );
        }
        let file = crate::syntax::parse_file(FileId(0), &text).unwrap();
        flats(&file, |flats| {
            // Each variant holds its own three stages and its own removal, plus the stage its
            // base removed, which it may still name.
            for flat in &flats[2..] {
                assert_eq!(flat.stages.len(), 4, "{:?}", names(flat));
                assert_eq!(flat.removed.len(), 1);
            }
        });
    }

    #[test]
    fn a_removed_stage_that_is_named_stays_for_the_transitions() {
        let text = "process a {\n  stage s0 { probability: 20% next: x }\n  stage x { probability: 40% }\n  stage won { outcome: won }\n}\nprocess b extends a { remove stage x }\nprocess c extends b { stage y { probability: 50% } }\n";
        let file = crate::syntax::parse_file(FileId(0), text).unwrap();
        flats(&file, |flats| {
            assert_eq!(names(&flats[2]), ["s0", "x", "y", "won"]);
            assert_eq!(flats[2].removed.len(), 1);
        });
    }

    fn names<'f>(flat: &'f Flat<'_>) -> Vec<&'f str> {
        flat.stages.iter().map(|s| s.name.text.as_str()).collect()
    }
}
