use crate::rule::{Example, Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "field-not-in-data",
    default: Level::Info,
    summary:
        "a field that a stage requires or an `exit:` reads but no column of the deals file holds",
    explanation: "\
The audit can only check the fields it is given. A field with no column is not reported as
missing on every deal; instead this says once that it was not checked. Add the column to the
export, or map it in `salespath.yaml` under `data.columns`.",
    example: Example::Data(
        "\
field pain \"Business pain\": text
stage discovery { requires: pain }

deal,stage,amount              <- no column `pain`, `Business pain` or `Pain__c`
",
    ),
};
