use crate::diag::{closest, Diagnostic};
use crate::model::{CompareOp, Field, FieldType, Literal};
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;
use crate::syntax::ast::Lit;

pub const INFO: RuleInfo = RuleInfo {
    name: "type-mismatch",
    default: Level::Error,
    summary: "a literal or operator that does not fit the field's type; an unknown choice value",
    explanation: "\
Conditions compare fields with values, and the value must fit the field: numbers for number and
currency fields, percentages such as `20%` for percent fields, one of the listed values for a
choice field, `true` or `false` for a yes/no field. `<` and `>` only compare amounts, so they do
not apply to text, yes/no or choice fields, and a date field can only be tested with `is set`.
A condition that compares mismatched things can never behave as intended, and the CRM rules
generated from it would be rejected or, worse, accepted and wrong.",
    example: crate::rule_fixtures!("type-mismatch"),
};

fn describe(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Text => "a text field",
        FieldType::Number => "a number field",
        FieldType::Currency => "a currency field",
        FieldType::Percent => "a percent field",
        FieldType::Date => "a date field",
        FieldType::Bool => "a yes/no (bool) field",
        FieldType::Choice(_) => "a choice field",
    }
}

fn example(field: &Field) -> String {
    match &field.ty {
        FieldType::Number | FieldType::Currency => format!("`{} >= 25000`", field.id),
        FieldType::Percent => format!("`{} <= 20%`", field.id),
        FieldType::Bool => format!("`{} == true`", field.id),
        FieldType::Choice(values) => match values.first() {
            Some(v) => format!("`{} == {}`", field.id, Literal::Text(v.clone()).source()),
            None => format!("`{} is set`", field.id),
        },
        FieldType::Text => format!("`{} == \"...\"`", field.id),
        FieldType::Date => format!("`{} is set`", field.id),
    }
}

/// A field standing alone as a condition must be a yes/no field.
pub fn not_a_condition(field: &Field, loc: Loc) -> Diagnostic {
    Diagnostic::new(
        Rule::TypeMismatch,
        loc,
        format!(
            "`{}` is {}, so it cannot stand alone as a condition",
            field.id,
            describe(&field.ty)
        ),
    )
    .label("not yes/no")
    .help(format!(
        "compare it with a value, for example {}, or test `{} is set`",
        example(field),
        field.id
    ))
}

/// Checks `field OP literal`; `None` when it fits.
pub fn check_compare(field: &Field, op: CompareOp, op_loc: Loc, value: &Lit) -> Option<Diagnostic> {
    let kind = describe(&field.ty);
    if field.ty == FieldType::Date {
        return Some(
            Diagnostic::new(
                Rule::TypeMismatch,
                op_loc,
                format!(
                    "`{}` is a date field, which can only be tested with `is set`",
                    field.id
                ),
            )
            .label("cannot compare a date")
            .help(format!(
                "write `{} is set` or `{} is not set`",
                field.id, field.id
            )),
        );
    }
    if op.is_ordering()
        && matches!(
            field.ty,
            FieldType::Text | FieldType::Bool | FieldType::Choice(_)
        )
    {
        return Some(
            Diagnostic::new(
                Rule::TypeMismatch,
                op_loc,
                format!("`{}` does not apply to `{}`, which is {kind}", op.as_str(), field.id),
            )
            .label("only for amounts")
            .help(format!(
                "`<`, `<=`, `>` and `>=` compare numbers, currencies and percentages; use `==`, `!=` or `in`, for example {}",
                example(field)
            )),
        );
    }
    let fits = match (&field.ty, &value.value) {
        (FieldType::Number | FieldType::Currency, Literal::Number(_)) => true,
        (FieldType::Percent, Literal::Percent(_)) => true,
        (FieldType::Text, Literal::Text(_)) => true,
        (FieldType::Bool, Literal::Bool(_)) => true,
        (FieldType::Choice(values), Literal::Text(text)) => {
            if values.contains(text) {
                true
            } else {
                let help = match closest(text, values.iter().map(String::as_str)) {
                    Some(best) => {
                        format!("did you mean {}?", Literal::Text(best.to_string()).source())
                    }
                    None => format!(
                        "use one of {}",
                        values
                            .iter()
                            .map(|v| Literal::Text(v.clone()).source())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                return Some(
                    Diagnostic::new(
                        Rule::TypeMismatch,
                        value.span,
                        format!(
                            "{} is not one of the values of `{}`",
                            value.value.source(),
                            field.id
                        ),
                    )
                    .label("not a listed value")
                    .help(help),
                );
            }
        }
        _ => false,
    };
    if fits {
        return None;
    }
    let wanted = match &field.ty {
        FieldType::Number | FieldType::Currency => "a number",
        FieldType::Percent => "a percentage such as `20%`",
        FieldType::Text => "text in quotes",
        FieldType::Bool => "`true` or `false`",
        FieldType::Choice(_) => "one of its values in quotes",
        FieldType::Date => "nothing",
    };
    Some(
        Diagnostic::new(
            Rule::TypeMismatch,
            value.span,
            format!(
                "`{}` is {kind}, but {} is not {wanted}",
                field.id,
                value.value.source()
            ),
        )
        .label(format!("expected {wanted}"))
        .help(format!(
            "compare `{}` with {wanted}, for example {}",
            field.id,
            example(field)
        )),
    )
}

/// A criteria can only be required to hold, not compared or tested for being set.
pub fn criteria_tested(name: &str, loc: Loc) -> Diagnostic {
    Diagnostic::new(
        Rule::TypeMismatch,
        loc,
        format!("`{name}` is a criteria, which can only be required to hold"),
    )
    .label("criteria, not a field")
    .help(format!(
        "write `{name}` alone (or `not {name}`) to require every item of it"
    ))
}

/// A criteria that refers back to itself.
pub fn criteria_cycle(target: &str, via: &str, loc: Loc) -> Diagnostic {
    Diagnostic::new(
        Rule::TypeMismatch,
        loc,
        format!("criteria `{target}` refers back to itself through `{via}`"),
    )
    .label("circular reference")
    .help("a criteria cannot include itself; write out the items it needs instead")
}
