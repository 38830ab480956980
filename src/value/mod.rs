//! Small value types shared by the syntax tree and the model, and how numbers and counts are
//! written for people.

mod format;

pub use format::{days, format_number, group_thousands, indefinite, percent, plural, quote};

use serde::{Deserialize, Serialize};
use std::fmt;

/// A length of time, kept in hours (`36h`, `5d`, `2w`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    pub hours: u64,
}

impl Duration {
    pub fn days(self) -> f64 {
        self.hours as f64 / 24.0
    }

    /// The largest whole unit: (count, unit name, unit letter).
    fn in_units(self) -> (u64, &'static str, char) {
        let h = self.hours;
        if h > 0 && h.is_multiple_of(24 * 7) {
            (h / (24 * 7), "week", 'w')
        } else if h > 0 && h.is_multiple_of(24) {
            (h / 24, "day", 'd')
        } else {
            (h, "hour", 'h')
        }
    }

    /// As people say it: "36 hours", "1 day", "5 days", "2 weeks".
    pub fn human(self) -> String {
        match self.in_units() {
            (1, unit, _) => format!("1 {unit}"),
            (n, unit, _) => format!("{n} {unit}s"),
        }
    }

    /// In days, for a column where every row should use one unit: "1 day", "21 days",
    /// "1.5 days" (rounded to hundredths).
    pub fn human_days(self) -> String {
        days(self.days())
    }

    /// The shortest source spelling: `2w`, `5d`, `36h`.
    pub fn source(self) -> String {
        let (n, _, letter) = self.in_units();
        format!("{n}{letter}")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Forecast {
    Omitted,
    Pipeline,
    BestCase,
    Commit,
    Closed,
}

impl Forecast {
    pub const ALL: [Forecast; 5] = [
        Forecast::Omitted,
        Forecast::Pipeline,
        Forecast::BestCase,
        Forecast::Commit,
        Forecast::Closed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Forecast::Omitted => "omitted",
            Forecast::Pipeline => "pipeline",
            Forecast::BestCase => "best_case",
            Forecast::Commit => "commit",
            Forecast::Closed => "closed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Forecast::Omitted => "Omitted",
            Forecast::Pipeline => "Pipeline",
            Forecast::BestCase => "Best case",
            Forecast::Commit => "Commit",
            Forecast::Closed => "Closed",
        }
    }
    /// Salesforce's forecast category name (LANGUAGE.md section 9).
    pub fn salesforce(self) -> &'static str {
        match self {
            Forecast::Omitted => "Omitted",
            Forecast::Pipeline => "Pipeline",
            Forecast::BestCase => "BestCase",
            Forecast::Commit => "Forecast",
            Forecast::Closed => "Closed",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Won,
    Lost,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Won => "won",
            Outcome::Lost => "lost",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SellingModel {
    Transactional,
    Consultative,
    Enterprise,
}

impl SellingModel {
    pub const ALL: [SellingModel; 3] = [
        SellingModel::Transactional,
        SellingModel::Consultative,
        SellingModel::Enterprise,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            SellingModel::Transactional => "transactional",
            SellingModel::Consultative => "consultative",
            SellingModel::Enterprise => "enterprise",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            SellingModel::Transactional => "Transactional",
            SellingModel::Consultative => "Consultative",
            SellingModel::Enterprise => "Enterprise",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
    /// The operator as SQL and Salesforce formulas write it (`=`, `<>`).
    pub fn formula_symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "<>",
            other => other.as_str(),
        }
    }

    pub fn is_ordering(self) -> bool {
        !matches!(self, CompareOp::Eq | CompareOp::Ne)
    }
}

/// A literal in an expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Number(f64),
    Percent(f64),
    Text(String),
    Bool(bool),
}

impl Literal {
    /// The literal as it is written in a `.sales` file.
    pub fn source(&self) -> String {
        match self {
            Literal::Number(n) => format_number(*n),
            Literal::Percent(p) => percent(*p),
            Literal::Text(s) => quote(s),
            Literal::Bool(b) => b.to_string(),
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source())
    }
}

/// "needs_assessment" shows as "Needs Assessment".
pub fn label_from_id(id: &str) -> String {
    id.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::Duration;

    #[test]
    fn durations_in_days_keep_one_unit() {
        let days = |hours| Duration { hours }.human_days();
        assert_eq!(days(24), "1 day");
        assert_eq!(days(24 * 21), "21 days");
        assert_eq!(days(36), "1.5 days");
        assert_eq!(days(4), "0.17 days");
    }
}
