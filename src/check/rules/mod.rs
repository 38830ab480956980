//! One file per rule: its `INFO` (name, default severity, explanation; see `crate::rule`) and,
//! for the rules of the checker proper, its `check`.

use super::Context;
use crate::diag::Diagnostic;

pub mod crm_rounding;
pub mod dead_end;
pub mod duplicate_definition;
pub mod extends_cycle;
pub mod field_not_collected;
pub mod import_cycle;
pub mod import_not_found;
pub mod invalid_crm_name;
pub mod invalid_probability;
pub mod missing_objective;
pub mod missing_owner;
pub mod missing_probability;
pub mod no_lost_stage;
pub mod no_stages;
pub mod no_won_stage;
pub mod probability_order;
pub mod renamed_from_exists;
pub mod salesforce_field_conflict;
pub mod salesforce_formula_limit;
pub mod salesforce_path_limit;
pub mod salesforce_stage_change;
pub mod salesforce_stage_conflict;
pub mod self_transition;
pub mod sql_condition_limit;
pub mod stale_before_expected;
pub mod syntax;
pub mod terminal_has_next;
pub mod type_mismatch;
pub mod unknown_reference;
pub mod unreachable_stage;
pub mod unreachable_threshold;
pub mod unused_definition;

macro_rules! model_checks {
    ($($phase:ident $variant:ident $($module:ident)::+::{$file:ident},)*) => {
        /// Runs the rules of phase `Check` (the others report while parsing, resolving or
        /// building), in table order.
        pub(crate) fn run_all(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
            $(run_if_check!($phase [$($module)::+::$file] cx out);)*
        }
    };
}

macro_rules! run_if_check {
    (Check [$($path:ident)::+] $cx:ident $out:ident) => {
        crate::$($path)::+::check($cx, $out)
    };
    ($phase:ident [$($path:ident)::+] $cx:ident $out:ident) => {};
}

crate::for_each_rule!(model_checks);

/// Processes whose graph rules may run: with stages and no earlier error making them unsound.
pub(crate) fn sound_processes<'a>(
    cx: &'a Context<'a>,
) -> impl Iterator<Item = &'a crate::model::Process> + 'a {
    cx.model
        .processes
        .iter()
        .enumerate()
        .filter(|(i, p)| !cx.incomplete.get(*i).copied().unwrap_or(false) && !p.stages.is_empty())
        .map(|(_, p)| p)
}

/// Whether a stage's probability is a valid percentage (invalid ones are reported once, by
/// `invalid-probability`, and other rules leave them alone).
pub(crate) fn valid_probability(p: Option<f64>) -> Option<f64> {
    p.filter(|p| (0.0..=100.0).contains(p))
}
