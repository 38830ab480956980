use crate::rule::{Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "syntax",
    default: Level::Error,
    summary: "input that does not parse: what was expected at that point",
    explanation: "\
The file must follow the grammar of the language: declarations at the top level, properties
inside stages, values of the right form (`30%`, `5d`, text in quotes). When it does not, the
checker says what it expected where it could not read, and suggests the fix: the closest
keyword when a word looks misspelt, the block left open, a missing `:`. It then resumes at the
next declaration or stage, so each mistake in the file is reported once (up to 50). Nothing
else in that file is checked until it parses, since every later rule would be guessing; other
files in the same run are still checked.",
    example: crate::rule_fixtures!("syntax"),
};
