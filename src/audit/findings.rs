//! Findings as they are found: grouped by rule and subject (DEALS.md section 6), counted, with
//! the first examples in file order kept. Messages are written once everything is counted.

use super::columns::FileKind;
use crate::rule::{Rule, RuleInfo};
use std::collections::BTreeMap;

/// A finding's rule, in the order of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleId {
    BadRow,
    UnknownStage,
    WrongEntry,
    IllegalMove,
    StaleDeal,
    MissingRequired,
    ExitNotMet,
    ProbabilityMismatch,
    FieldNotInData,
}

impl RuleId {
    pub fn rule(self) -> &'static RuleInfo {
        let rule = match self {
            RuleId::BadRow => Rule::BadRow,
            RuleId::UnknownStage => Rule::UnknownStage,
            RuleId::WrongEntry => Rule::WrongEntry,
            RuleId::IllegalMove => Rule::IllegalMove,
            RuleId::StaleDeal => Rule::StaleDeal,
            RuleId::MissingRequired => Rule::MissingRequired,
            RuleId::ExitNotMet => Rule::ExitNotMet,
            RuleId::ProbabilityMismatch => Rule::ProbabilityMismatch,
            RuleId::FieldNotInData => Rule::FieldNotInData,
        };
        rule.info()
    }
}

/// The `value` of a finding's subject.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SubjectValue {
    Text(String),
    /// A probability in hundredths of a percent.
    Percent(u16),
}

/// What one finding is about; ordered as the report lists findings.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Subject {
    pub rule: RuleId,
    pub stage: Option<u16>,
    pub to: Option<u16>,
    pub field: Option<usize>,
    pub value: Option<SubjectValue>,
}

impl Subject {
    pub fn rule(rule: RuleId) -> Self {
        Subject {
            rule,
            stage: None,
            to: None,
            field: None,
            value: None,
        }
    }
    pub fn stage(mut self, stage: u16) -> Self {
        self.stage = Some(stage);
        self
    }
    pub fn to(mut self, to: u16) -> Self {
        self.to = Some(to);
        self
    }
    pub fn field(mut self, field: usize) -> Self {
        self.field = Some(field);
        self
    }
    pub fn value(mut self, value: SubjectValue) -> Self {
        self.value = Some(value);
        self
    }
}

/// A deal (if the row names one) and the line that shows the finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Example {
    pub file: FileKind,
    pub line: u32,
    pub deal: Option<String>,
    /// Why the row was left out (for `bad-row`).
    pub reason: Option<&'static str>,
}

#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub count: u64,
    /// The first examples in file order (history before deals), at most the limit.
    pub examples: Vec<Example>,
    /// For bad rows: how many were left out for each reason, for the message.
    pub reasons: BTreeMap<&'static str, u64>,
}

pub struct Findings {
    limit: usize,
    pub found: BTreeMap<Subject, Tally>,
}

impl Findings {
    pub fn new(limit: usize) -> Self {
        Findings {
            limit,
            found: BTreeMap::new(),
        }
    }

    /// Counts one occurrence that has no row to show (a field no column holds).
    pub fn count(&mut self, subject: Subject) {
        self.found.entry(subject).or_default().count += 1;
    }

    /// Counts one occurrence and keeps it as an example if it is among the first in file
    /// order. The deal id is copied only when the example is kept.
    pub fn add(&mut self, subject: Subject, file: FileKind, line: u32, deal: Option<&str>) {
        self.add_with(subject, file, line, deal, None);
    }

    pub fn add_with(
        &mut self,
        subject: Subject,
        file: FileKind,
        line: u32,
        deal: Option<&str>,
        reason: Option<&'static str>,
    ) {
        let limit = self.limit;
        let tally = self.found.entry(subject).or_default();
        tally.count += 1;
        if let Some(reason) = reason {
            *tally.reasons.entry(reason).or_default() += 1;
        }
        let full = tally.examples.len() >= limit;
        if limit == 0
            || full
                && tally
                    .examples
                    .last()
                    .is_some_and(|e| (e.file, e.line) <= (file, line))
        {
            return;
        }
        let example = Example {
            file,
            line,
            deal: deal.filter(|d| !d.is_empty()).map(str::to_string),
            reason,
        };
        let at = tally
            .examples
            .partition_point(|e| (e.file, e.line) <= (file, line));
        tally.examples.insert(at, example);
        tally.examples.truncate(limit);
    }
}
