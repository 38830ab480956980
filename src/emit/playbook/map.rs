//! The process map of the Markdown playbook: Mermaid source, which GitHub draws.

use crate::model::{Process, Stage};
use std::fmt::Write;

/// A left-to-right Mermaid flowchart: forward moves solid, backward moves dotted, won and lost
/// stages rounded and coloured.
pub fn mermaid(process: &Process) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, stage) in process.stages.iter().enumerate() {
        let label = mermaid_text(&stage.label);
        let _ = if stage.is_open() {
            writeln!(out, "  s{i}[\"{label}\"]")
        } else {
            writeln!(out, "  s{i}([\"{label}\"])")
        };
    }
    for (i, stage) in process.stages.iter().enumerate() {
        for to in stage.next_ids() {
            let arrow = if to.0 < i { "-.->" } else { "-->" };
            let _ = writeln!(out, "  s{i} {arrow} s{}", to.0);
        }
    }
    out.push_str("  classDef won fill:#e3f4e8,stroke:#1e7b34\n");
    out.push_str("  classDef lost fill:#fbe9e7,stroke:#b3261e\n");
    for (class, test) in [
        ("won", Stage::is_won as fn(&Stage) -> bool),
        ("lost", Stage::is_lost),
    ] {
        let nodes: Vec<String> = (0..process.stages.len())
            .filter(|&i| test(&process.stages[i]))
            .map(|i| format!("s{i}"))
            .collect();
        if !nodes.is_empty() {
            let _ = writeln!(out, "  class {} {class}", nodes.join(","));
        }
    }
    out
}

/// Text for a quoted Mermaid label: ASCII punctuation that could end the label or start
/// markup becomes an entity code (`#35;`), and line breaks become spaces, so the result is
/// also safe inside a Markdown code fence.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push(' ');
        } else if c.is_ascii_punctuation() && !matches!(c, '.' | ',' | '-' | '_' | '!' | '?' | '\'')
        {
            let _ = write!(out, "#{};", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_text_encodes_what_could_break_out() {
        assert_eq!(mermaid_text("a \"b\" <c>"), "a #34;b#34; #60;c#62;");
        assert_eq!(mermaid_text("```|#;"), "#96;#96;#96;#124;#35;#59;");
        assert_eq!(mermaid_text("商談 🚀\nok"), "商談 🚀 ok");
    }
}
