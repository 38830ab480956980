//! YAML that every reader reads the same way, YAML 1.1 (PyYAML, many CI tools) as well as 1.2.
//!
//! A string is written plain only when no YAML version could take it for anything else: it
//! starts with a letter, holds no `: ` or ` #`, no line break, tab or character outside
//! printable text, and is not one of the words YAML 1.1 reads as a boolean or null (`no`,
//! `on`, `y`, `null`, ...). Text over several lines is a literal block (`|-`) when its lines
//! allow; every other string is double-quoted, with escapes for what a reader would fold or
//! refuse. Numbers are written so that both versions read the same number.

use serde_json::{Map, Number, Value};
use std::fmt::Write;

/// The value as a YAML document (block style, two-space indent).
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => object(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => array(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other, 2));
            out.push('\n');
        }
    }
    out
}

fn object(out: &mut String, map: &Map<String, Value>, indent: usize) {
    for (key, value) in map {
        let _ = write!(out, "{:indent$}{}:", "", string(key));
        nested(out, value, indent, indent + 2);
    }
}

fn array(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        let _ = write!(out, "{:indent$}-", "");
        match item {
            Value::Object(_) | Value::Array(_) if !is_empty(item) => {
                // The item's first line goes after the dash; the rest is indented under it.
                let mut inner = String::new();
                block(&mut inner, item, indent + 2);
                out.push(' ');
                out.push_str(&inner[indent + 2..]);
            }
            _ => {
                out.push(' ');
                out.push_str(&scalar(item, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// What follows `key:` — a scalar on the same line, or a block below (lists of a mapping sit
/// at the key's own indent, as most writers do).
fn nested(out: &mut String, value: &Value, indent: usize, deeper: usize) {
    match value {
        Value::Object(_) if !is_empty(value) => {
            out.push('\n');
            block(out, value, deeper);
        }
        Value::Array(_) if !is_empty(value) => {
            out.push('\n');
            block(out, value, indent);
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(value, deeper));
            out.push('\n');
        }
    }
}

fn block(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) => object(out, map, indent),
        Value::Array(items) => array(out, items, indent),
        _ => unreachable!("only collections are written as blocks"),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// A scalar; text over several lines is indented by `indent`.
fn scalar(value: &Value, indent: usize) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) if literal_block_fits(s) => literal_block(s, indent),
        Value::String(s) => string(s),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// Integers as written; other numbers with a `.` in the mantissa and a signed exponent, the
/// only float form YAML 1.1 knows (`1.0e+300`, not `1e300`, which it reads as text).
fn number(n: &Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let plain = f.to_string();
    if plain.contains('.') && plain.len() <= 24 {
        return plain;
    }
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_string()
    } else {
        format!("{mantissa}.0")
    };
    let exponent = if exponent.starts_with('-') {
        exponent.to_string()
    } else {
        format!("+{exponent}")
    };
    format!("{mantissa}e{exponent}")
}

/// Words that some YAML version reads as a boolean, null or special number.
const NOT_TEXT: [&str; 11] = [
    "y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf",
];

fn string(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

fn plain_is_safe(s: &str) -> bool {
    // Indicators (`-?:,[]{}#&*!|>'"%@` and the backquote) only matter first; after a letter,
    // only `: ` and ` #` end a plain scalar early.
    let printable = |c: char| {
        c == ' ' || c.is_ascii_graphic() || !(c.is_ascii() || c.is_whitespace() || needs_escape(c))
    };
    s.starts_with(char::is_alphabetic)
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(printable)
        // An implicit key may be at most 1,024 characters.
        && s.len() <= 1_000
        && !NOT_TEXT.contains(&s.to_ascii_lowercase().as_str())
}

/// Whether `s` reads back exactly from a `|-` block: several lines, the first starting with
/// text (a leading space would need an indentation indicator), no line of only blanks, no
/// trailing line break, nothing that needs an escape.
fn literal_block_fits(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.ends_with('\n')
        && s.lines()
            .all(|line| line.is_empty() || !line.trim().is_empty())
        && !s
            .chars()
            .any(|c| c == '\t' || c == '\r' || (c != '\n' && needs_escape(c)))
}

fn literal_block(s: &str, indent: usize) -> String {
    let mut out = String::from("|-");
    for line in s.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            let _ = write!(out, "{:indent$}{line}", "");
        }
    }
    out
}

/// A double-quoted scalar. Besides `"` and `\`, line breaks of any kind (which a reader folds
/// into spaces) and characters YAML forbids in a stream are escaped.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn words_other_readers_misread_are_quoted() {
        for word in [
            "no",
            "Yes",
            "ON",
            "y",
            "~",
            "null",
            "=",
            "<<",
            "1.5",
            "2024-01-01",
            "",
        ] {
            assert!(string(word).starts_with('"'), "{word}");
        }
        assert_eq!(string("Needs Assessment"), "Needs Assessment");
        assert_eq!(string("https://example.com/a#b"), "https://example.com/a#b");
        assert_eq!(string("a: b"), "\"a: b\"");
    }

    #[test]
    fn floats_have_a_dot_and_a_signed_exponent() {
        assert_eq!(number(&Number::from_f64(12.5).unwrap()), "12.5");
        assert_eq!(number(&Number::from_f64(1e300).unwrap()), "1.0e+300");
        assert_eq!(number(&Number::from_f64(1.5e-300).unwrap()), "1.5e-300");
    }

    #[test]
    fn nested_lists_and_maps_line_up() {
        let value = json!({"a": [{"b": 1, "c": [[1, 2], []]}], "d": {}, "e": {"f": "no"}});
        assert_eq!(
            to_string(&value),
            "a:\n- b: 1\n  c:\n  - - 1\n    - 2\n  - []\nd: {}\ne:\n  f: \"no\"\n"
        );
        let value = json!({"a": {"b": "one\n\n  two"}, "c": ["x\ny"]});
        assert_eq!(
            to_string(&value),
            "a:\n  b: |-\n    one\n\n      two\nc:\n- |-\n  x\n  y\n"
        );
    }
}
