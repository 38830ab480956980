//! SARIF 2.1.0 output (`check --format sarif`) for code-scanning tools: every rule with its
//! descriptions, and one result per diagnostic with its physical location.

use super::{Diagnostic, Severity};
use crate::rule::{Level, Rule};
use crate::source::SourceMap;
use serde_json::{json, Value};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/salespath/salespath";

pub fn render_sarif(diagnostics: &[(&Diagnostic, &SourceMap)]) -> String {
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|(d, sources)| result(d, sources))
        .collect();
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver() },
            // Our columns count characters, not UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    text.push('\n');
    text
}

fn driver() -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            let rule = rule.info();
            json!({
                "id": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.explanation },
                "defaultConfiguration": {
                    "level": default_level(rule.default),
                    "enabled": rule.default != Level::Off,
                },
            })
        })
        .collect();
    json!({
        "name": "salespath",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": INFORMATION_URI,
        "rules": rules,
    })
}

/// SARIF's name for a rule's default level.
fn default_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
        Level::Off => "none",
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn result(d: &Diagnostic, sources: &SourceMap) -> Value {
    let file = sources.get(d.loc.file);
    let start = file.line_col(d.loc.span.start);
    let end = file.line_col(d.loc.span.end);
    let mut result = json!({
        "ruleId": d.rule,
        "level": level(d.severity),
        "message": { "text": message_text(d) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&file.name) },
                "region": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                },
            },
        }],
    });
    if let Some(index) = Rule::ALL.iter().position(|r| *r == d.rule) {
        result["ruleIndex"] = json!(index);
    }
    result
}

/// The message, then the advice when there is some.
pub(crate) fn message_text(d: &Diagnostic) -> String {
    if d.help.is_empty() {
        d.message.clone()
    } else {
        format!("{}\nhelp: {}", d.message, d.help)
    }
}

/// A relative file name as a URI reference: `/` separators, unsafe bytes percent-encoded.
fn uri(name: &str) -> String {
    let mut out = String::new();
    for byte in name.replace('\\', "/").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uri_encodes_spaces_and_non_ascii() {
        assert_eq!(super::uri("a dir/é.sales"), "a%20dir/%C3%A9.sales");
        assert_eq!(super::uri("<stdin>"), "%3Cstdin%3E");
    }
}
