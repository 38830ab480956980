//! Pieces of Markdown for the checklists the CRM backends write: every value from a process
//! shown literally, whatever it contains.

/// Text shown literally in Markdown, including inside a table cell: punctuation that could
/// start markup is backslash-escaped and line breaks become spaces.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span that holds `s` whatever backticks it contains; pipes are escaped because a
/// table cell ends at a bare pipe even inside code.
pub fn code(s: &str) -> String {
    let longest_run = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let body = s.replace(['\n', '\r', '\t'], " ").replace('|', "\\|");
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}
