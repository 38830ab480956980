//! The rule registry. Every rule is declared once: its file holds its name, default severity
//! and explanation (`INFO`), and one line in [`for_each_rule!`] gives its variant of [`Rule`],
//! its phase and its place in the rules table. The table, `salespath explain`, the pages under
//! `docs/rules/` and the checker's list of model checks are all generated from that line.
//! Adding a rule is its file and one line.

use crate::diag::Severity;
use std::fmt;

mod explain;

/// When a rule fires: while reading a file, while resolving names, in the checker proper,
/// while a backend works out what a CRM can hold, or while auditing deal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Syntax,
    Model,
    Check,
    Backend,
    Audit,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Syntax => "syntax",
            Phase::Model => "model",
            Phase::Check => "check",
            Phase::Backend => "backend",
            Phase::Audit => "audit",
        }
    }
}

/// How much a rule's findings matter: its default in the rule's file, and what
/// `salespath.yaml` may set (`info` only for audit rules: reported, never failing a run).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Off => "off",
        }
    }

    /// The severity of a diagnostic at this level; `None` when it is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning | Level::Info => Some(Severity::Warning),
            Level::Off => None,
        }
    }
}

/// What `explain` shows as the rule's example.
pub enum Example {
    /// A file that breaks the rule and the same file fixed: its test fixtures
    /// (see [`rule_fixtures!`]).
    Fixtures {
        bad: &'static str,
        good: &'static str,
    },
    /// A few rows of deal data that break an audit rule, and what the audit says about them.
    Data(&'static str),
}

/// What a rule's file declares about it.
pub struct RuleInfo {
    /// The kebab-case name users write in `salespath.yaml`.
    pub name: &'static str,
    pub default: Level,
    pub summary: &'static str,
    /// What the rule checks and why it matters.
    pub explanation: &'static str,
    pub example: Example,
}

/// A rule's test fixtures, `tests/fixtures/rules/<rule>/bad.sales` and `good.sales`,
/// compiled in as its example so `explain` shows what the tests check.
#[macro_export]
macro_rules! rule_fixtures {
    ($rule:literal) => {
        $crate::rule::Example::Fixtures {
            bad: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/rules/",
                $rule,
                "/bad.sales"
            )),
            good: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/rules/",
                $rule,
                "/good.sales"
            )),
        }
    };
}

/// Calls `$then!` with every rule as `Phase Variant module::{file},` (the file under `src/`
/// that declares it), in the order of the rules table (LANGUAGE.md section 6). This is the
/// registry: one line per rule. The tests generate one test per rule fixture from it too.
#[doc(hidden)]
#[macro_export]
macro_rules! for_each_rule {
    ($then:ident) => {
        $then! {
            Syntax  Syntax                   check::rules::{syntax},
            Model   DuplicateDefinition      check::rules::{duplicate_definition},
            Model   UnknownReference         check::rules::{unknown_reference},
            Model   TypeMismatch             check::rules::{type_mismatch},
            Check   InvalidProbability       check::rules::{invalid_probability},
            Check   NoStages                 check::rules::{no_stages},
            Check   NoWonStage               check::rules::{no_won_stage},
            Check   TerminalHasNext          check::rules::{terminal_has_next},
            Check   UnreachableStage         check::rules::{unreachable_stage},
            Check   DeadEnd                  check::rules::{dead_end},
            Check   ProbabilityOrder         check::rules::{probability_order},
            Check   FieldNotCollected        check::rules::{field_not_collected},
            Check   StaleBeforeExpected      check::rules::{stale_before_expected},
            Check   SelfTransition           check::rules::{self_transition},
            Check   NoLostStage              check::rules::{no_lost_stage},
            Check   UnusedDefinition         check::rules::{unused_definition},
            Check   MissingProbability       check::rules::{missing_probability},
            Check   MissingObjective         check::rules::{missing_objective},
            Check   MissingOwner             check::rules::{missing_owner},
            Model   ImportNotFound           check::rules::{import_not_found},
            Model   ImportCycle              check::rules::{import_cycle},
            Model   ExtendsCycle             check::rules::{extends_cycle},
            Check   UnreachableThreshold     check::rules::{unreachable_threshold},
            Check   InvalidCrmName           check::rules::{invalid_crm_name},
            Check   RenamedFromExists        check::rules::{renamed_from_exists},
            Backend CrmRounding              check::rules::{crm_rounding},
            Backend SalesforceStageConflict  check::rules::{salesforce_stage_conflict},
            Backend SalesforceFieldConflict  check::rules::{salesforce_field_conflict},
            Backend SalesforceFormulaLimit   check::rules::{salesforce_formula_limit},
            Backend SalesforceStageChange    check::rules::{salesforce_stage_change},
            Backend SalesforcePathLimit      check::rules::{salesforce_path_limit},
            Backend SqlConditionLimit        check::rules::{sql_condition_limit},
            Audit   BadRow                   audit::rules::{bad_row},
            Audit   UnknownStage             audit::rules::{unknown_stage},
            Audit   WrongEntry               audit::rules::{wrong_entry},
            Audit   IllegalMove              audit::rules::{illegal_move},
            Audit   StaleDeal                audit::rules::{stale_deal},
            Audit   MissingRequired          audit::rules::{missing_required},
            Audit   ExitNotMet               audit::rules::{exit_not_met},
            Audit   ProbabilityMismatch      audit::rules::{probability_mismatch},
            Audit   FieldNotInData           audit::rules::{field_not_in_data},
        }
    };
}

macro_rules! define_rules {
    ($($phase:ident $variant:ident $($module:ident)::+::{$file:ident},)*) => {
        /// A rule of the rules table; every diagnostic carries one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in table order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// What the rule's file declares.
            pub fn info(self) -> &'static RuleInfo {
                match self {
                    $(Rule::$variant => &crate::$($module)::+::$file::INFO,)*
                }
            }

            pub fn phase(self) -> Phase {
                match self {
                    $(Rule::$variant => Phase::$phase,)*
                }
            }
        }
    };
}
crate::for_each_rule!(define_rules);

impl Rule {
    /// The kebab-case name, as in `salespath.yaml` and the JSON output.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The severity a diagnostic of this rule has unless `salespath.yaml` says otherwise;
    /// `None` when the rule is off by default.
    pub fn default_severity(self) -> Option<Severity> {
        self.info().default.severity()
    }

    /// The rule called `name`.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// Every rule name, for "did you mean" help.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Rule::ALL.iter().map(|r| r.name())
    }

    /// What `salespath explain RULE` prints; also the rule's page under `docs/rules/`.
    pub fn explain(self) -> String {
        explain::page(self)
    }

    /// The rules table `salespath explain` prints without a rule.
    pub fn table() -> String {
        explain::table()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Lets tests and callers compare a rule with its name.
impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}
