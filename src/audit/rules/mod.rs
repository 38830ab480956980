//! The audit's finding rules (DEALS.md section 6): each declared once, in its own file, with
//! its name, default severity and explanation, and registered with the checker's rules in
//! `crate::rule`, which `salespath explain` and `salespath.yaml` use.

pub mod bad_row;
pub mod exit_not_met;
pub mod field_not_in_data;
pub mod illegal_move;
pub mod missing_required;
pub mod probability_mismatch;
pub mod stale_deal;
pub mod unknown_stage;
pub mod wrong_entry;
