//! The playbook as GitHub-flavoured Markdown. Headings with fixed wording get GitHub's own
//! anchors; everything named by the user gets an explicit `<a id="stage-...">` so links stay
//! stable whatever the label says. User text is escaped so it can never change the structure.

use super::{
    CriteriaSection, FieldEntry, Link, MainPath, Playbook, Ref, RoleEntry, StageKind, StageSection,
    ToolEntry,
};
use std::fmt::Write;

pub fn render(book: &Playbook) -> String {
    let mut out = String::new();
    overview(&mut out, book);
    contents(&mut out, book);
    who_it_is_for(&mut out, book);
    if let Some(variant) = &book.variant {
        variant_section(&mut out, variant);
    }
    at_a_glance(&mut out, book);
    process_map(&mut out, &book.mermaid);
    time_to_win(&mut out, &book.main_path);
    line(&mut out, "## Stage by stage");
    for stage in &book.stages {
        stage_section(&mut out, stage);
    }
    if !book.criteria.is_empty() {
        line(&mut out, "## Qualification criteria");
        for criteria in &book.criteria {
            criteria_section(&mut out, criteria);
        }
    }
    if !book.scorings.is_empty() {
        scoring_sections(&mut out, book);
    }
    glossary(&mut out, &book.fields);
    tools(&mut out, &book.tools);
    roles(&mut out, &book.roles);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Writes a block followed by a blank line.
fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push_str("\n\n");
}

fn overview(out: &mut String, book: &Playbook) {
    line(out, &format!("# Playbook: {}", text(&book.title)));
    let facts: Vec<String> = book
        .facts
        .iter()
        .map(|(name, value)| format!("**{name}:** {}", text(value)))
        .collect();
    line(out, &facts.join("<br>\n"));
    if let Some(description) = &book.description {
        line(out, &text(description));
    }
}

fn contents(out: &mut String, book: &Playbook) {
    let entries = book.contents();
    line(out, "## Contents");
    let list: Vec<String> = entries
        .iter()
        .map(|(anchor, title)| format!("- [{title}](#{anchor})"))
        .collect();
    line(out, &list.join("\n"));
}

fn who_it_is_for(out: &mut String, book: &Playbook) {
    line(out, "## Who it is for");
    if book.segments.is_empty() {
        line(out, "Every customer: this process names no segments.");
        return;
    }
    let items: Vec<String> = book
        .segments
        .iter()
        .map(|s| {
            let mut item = format!("- **{}**", text(&s.label));
            if let Some(d) = &s.description {
                let _ = write!(item, ": {}", text(d));
            }
            if let Some(w) = &s.when {
                let _ = write!(item, "<br>\n  {}", text(w));
            }
            item
        })
        .collect();
    line(out, &items.join("\n"));
}

fn variant_section(out: &mut String, variant: &super::variant::Variant) {
    line(out, "## How this variant differs");
    line(
        out,
        &format!(
            "This process extends **{}** and inherits its stages, except as listed here.",
            text(&variant.base)
        ),
    );
    if variant.added.is_empty() && variant.removed.is_empty() && variant.changed.is_empty() {
        line(out, "Its stages are the same as the base process.");
        return;
    }
    let mut items = Vec::new();
    if !variant.added.is_empty() {
        items.push(format!("- **Stages added:** {}", links(&variant.added)));
    }
    if !variant.removed.is_empty() {
        let removed: Vec<String> = variant.removed.iter().map(|l| text(l)).collect();
        items.push(format!("- **Stages removed:** {}", removed.join(", ")));
    }
    for (stage, changes) in &variant.changed {
        items.push(format!("- **Changed:** {}", link(stage)));
        for c in changes {
            items.push(format!(
                "  - {}: {} (base: {})",
                c.property,
                text(&c.now),
                text(&c.base)
            ));
        }
    }
    line(out, &items.join("\n"));
}

fn at_a_glance(out: &mut String, book: &Playbook) {
    line(out, "## Stages at a glance");
    let mut rows = vec![
        "| # | Stage | Owner | Probability | Forecast | Expected time | Stalled after |"
            .to_string(),
        "|---|---|---|---|---|---|---|".to_string(),
    ];
    for s in &book.stages {
        rows.push(format!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            s.number,
            link(&s.stage),
            optional(&s.owner),
            optional(&s.probability),
            s.forecast,
            optional(&s.expected),
            optional(&s.stale_after),
        ));
    }
    line(out, &rows.join("\n"));
}

fn optional(value: &Option<String>) -> String {
    value.as_deref().map(text).unwrap_or_else(|| "–".into())
}

fn process_map(out: &mut String, mermaid: &str) {
    line(out, "## Process map");
    line(
        out,
        "Solid arrows go forward; dotted arrows go back to an earlier stage.",
    );
    line(out, &format!("```mermaid\n{}```", mermaid));
}

fn time_to_win(out: &mut String, path: &MainPath) {
    line(out, "## Time to win");
    line(out, &format!("**Main path:** {}", arrows(&path.stages)));
    let sentences: Vec<String> = path.sentences.iter().map(|s| text(s)).collect();
    line(out, &sentences.join(" "));
}

fn arrows(stages: &[Ref]) -> String {
    stages.iter().map(link).collect::<Vec<_>>().join(" → ")
}

fn stage_section(out: &mut String, s: &StageSection) {
    line(out, &format!("<a id=\"{}\"></a>", s.stage.anchor));
    line(out, &format!("### {}. {}", s.number, text(&s.stage.label)));
    let mut facts = Vec::new();
    match s.kind {
        StageKind::Won => facts.push("**Closes the deal as won**".to_string()),
        StageKind::Lost => facts.push("**Closes the deal as lost**".to_string()),
        StageKind::Open => {}
    }
    if let Some(owner) = &s.owner {
        facts.push(format!("**Owner:** {}", text(owner)));
    }
    if let Some(p) = &s.probability {
        facts.push(format!("**Probability:** {p}"));
    }
    facts.push(format!("**Forecast:** {}", s.forecast));
    line(out, &facts.join(" · "));
    if let Some(objective) = &s.objective {
        line(out, &format!("**Objective:** {}", text(objective)));
    }
    if let Some(description) = &s.description {
        line(out, &text(description));
    }
    numbered(out, "What to do", &s.activities);
    let tools: Vec<String> = s
        .tools
        .iter()
        .map(|t| tool_link(&t.tool.label, t.link.as_ref()))
        .collect();
    bullets(out, "Tools", &tools);
    let capture: Vec<String> = s
        .capture
        .iter()
        .map(|f| field_line(&f.field, f.ty, &f.choices))
        .collect();
    bullets(out, s.capture_heading(), &capture);
    let known: Vec<String> = s.known.iter().map(link).collect();
    bullets(out, s.known_heading(), &known);
    if let Some(exit) = &s.exit {
        line(out, "#### When you may move on");
        let lines: Vec<String> = exit.lines.iter().map(|l| text(l)).collect();
        match &exit.criteria {
            Some(criteria) => {
                line(out, &format!("Every item of {} must hold:", link(criteria)));
                line(out, &list(&lines));
            }
            None => line(out, &format!("Only when {}.", lines.join(" "))),
        }
    }
    let timing: Vec<String> = s.timing.iter().map(|t| text(t)).collect();
    paragraph(out, "How long it should take", &timing.join(" "));
    bullets(out, "Follow-ups", &plain(&s.follow_ups));
    bullets(out, "What happens automatically", &plain(&s.automations));
    if !s.guidance.is_empty() {
        line(out, "#### Coaching");
        let quoted: Vec<String> = s
            .guidance
            .iter()
            .map(|g| format!("> {}", text(g)))
            .collect();
        line(out, &quoted.join("<br>\n"));
    }
    if !s.next.is_empty() {
        line(out, "#### Where the deal can go next");
        let steps: Vec<String> = s
            .next
            .iter()
            .map(|n| match n.note {
                Some(note) => format!("- {} ({note})", link(&n.stage)),
                None => format!("- {}", link(&n.stage)),
            })
            .collect();
        line(out, &steps.join("\n"));
        if let Some(note) = &s.next_note {
            line(out, &text(note));
        }
    }
}

fn plain(items: &[String]) -> Vec<String> {
    items.iter().map(|i| text(i)).collect()
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("- {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A sub-heading and a bullet list of already escaped items; nothing when there are none.
fn bullets(out: &mut String, heading: &str, items: &[String]) {
    if !items.is_empty() {
        line(out, &format!("#### {heading}"));
        line(out, &list(items));
    }
}

fn numbered(out: &mut String, heading: &str, items: &[String]) {
    if !items.is_empty() {
        line(out, &format!("#### {heading}"));
        let list: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, item)| format!("{}. {}", i + 1, text(item)))
            .collect();
        line(out, &list.join("\n"));
    }
}

fn paragraph(out: &mut String, heading: &str, escaped: &str) {
    if !escaped.is_empty() {
        line(out, &format!("#### {heading}"));
        line(out, escaped);
    }
}

fn field_line(field: &Ref, ty: &str, choices: &[String]) -> String {
    let mut item = format!("{} ({ty}", link(field));
    if !choices.is_empty() {
        let values: Vec<String> = choices.iter().map(|c| text(c)).collect();
        let _ = write!(item, ": {}", values.join(", "));
    }
    item.push(')');
    item
}

fn criteria_section(out: &mut String, c: &CriteriaSection) {
    line(out, &format!("<a id=\"{}\"></a>", c.criteria.anchor));
    line(out, &format!("**{}**", text(&c.criteria.label)));
    let items: Vec<String> = c
        .items
        .iter()
        .map(|(name, condition)| format!("**{}:** {}", text(name), text(condition)))
        .collect();
    line(out, &list(&items));
    if !c.used_in.is_empty() {
        line(out, &format!("Checked to leave: {}", links(&c.used_in)));
    }
}

fn scoring_sections(out: &mut String, book: &Playbook) {
    line(out, "## Lead scoring");
    for s in &book.scorings {
        line(out, &format!("<a id=\"{}\"></a>", s.scoring.anchor));
        line(out, &format!("**{}**", text(&s.scoring.label)));
        let rules: Vec<String> = s
            .rules
            .iter()
            .map(|(points, condition)| format!("**{points}** when {}", text(condition)))
            .collect();
        line(out, &list(&rules));
        line(
            out,
            &format!("A lead qualifies at **{} points** or more.", s.threshold),
        );
        let met: Vec<String> = s
            .example
            .iter()
            .map(|(points, condition)| format!("{points}: {}", text(condition)))
            .collect();
        if !met.is_empty() {
            line(out, "*Example:*");
            line(out, &list(&met));
        }
        line(out, &text(&s.example_result));
    }
}

fn glossary(out: &mut String, fields: &[FieldEntry]) {
    line(out, "## Glossary of fields");
    if fields.is_empty() {
        line(out, "This process captures no fields.");
        return;
    }
    for f in fields {
        let mut item = format!(
            "- <a id=\"{}\"></a>**{}** ({}",
            f.field.anchor,
            text(&f.field.label),
            f.ty
        );
        if !f.choices.is_empty() {
            let values: Vec<String> = f.choices.iter().map(|c| text(c)).collect();
            let _ = write!(item, ": {}", values.join(", "));
        }
        item.push(')');
        if let Some(d) = &f.description {
            let _ = write!(item, "<br>\n  {}", text(d));
        }
        let _ = write!(
            item,
            "<br>\n  Captured in: {}",
            none_or(links(&f.captured_in))
        );
        if !f.checked_in.is_empty() {
            let _ = write!(item, "<br>\n  Checked to leave: {}", links(&f.checked_in));
        }
        out.push_str(&item);
        out.push('\n');
    }
    out.push('\n');
}

fn none_or(text: String) -> String {
    if text.is_empty() {
        "no stage of this process".into()
    } else {
        text
    }
}

fn tools(out: &mut String, tools: &[ToolEntry]) {
    line(out, "## Tools");
    if tools.is_empty() {
        line(out, "This process names no tools.");
        return;
    }
    for t in tools {
        let mut item = format!(
            "- <a id=\"{}\"></a>{}",
            t.tool.anchor,
            tool_link(&t.tool.label, t.link.as_ref())
        );
        if let Some(kind) = &t.kind {
            let _ = write!(item, " ({})", text(kind));
        }
        if let Some(d) = &t.description {
            let _ = write!(item, "<br>\n  {}", text(d));
        }
        let _ = write!(item, "<br>\n  Used in: {}", none_or(links(&t.used_in)));
        out.push_str(&item);
        out.push('\n');
    }
    out.push('\n');
}

fn roles(out: &mut String, roles: &[RoleEntry]) {
    line(out, "## Roles");
    if roles.is_empty() {
        line(out, "This process names no roles.");
        return;
    }
    for r in roles {
        let mut item = format!(
            "- <a id=\"{}\"></a>**{}**: owns {}",
            r.role.anchor,
            text(&r.role.label),
            if r.owns.is_empty() {
                "no stage".to_string()
            } else {
                links(&r.owns)
            }
        );
        if !r.involved_in.is_empty() {
            let _ = write!(item, "; gets tasks or alerts in {}", links(&r.involved_in));
        }
        out.push_str(&item);
        out.push('\n');
    }
    out.push('\n');
}

fn link(target: &Ref) -> String {
    format!("[{}](#{})", text(&target.label), target.anchor)
}

fn links(targets: &[Ref]) -> String {
    targets.iter().map(link).collect::<Vec<_>>().join(", ")
}

/// A tool's label, linked when its link is safe; otherwise the address is shown as text.
fn tool_link(label: &str, link: Option<&Link>) -> String {
    match link {
        Some(l) if l.clickable => format!("[{}]({})", text(label), destination(&l.url)),
        Some(l) => format!("{} (link: {})", text(label), text(&l.url)),
        None => text(label),
    }
}

/// A link destination: characters that would end or confuse it are percent-encoded, and `&`
/// is written as an entity so an `&amp;` in the address survives entity decoding.
fn destination(url: &str) -> String {
    let mut out = String::new();
    for c in url.trim().chars() {
        match c {
            '&' => out.push_str("&amp;"),
            c if c.is_ascii_alphanumeric() || "-._~:/?#@!$'*+,;=%".contains(c) => out.push(c),
            c => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    out
}

/// User text for inline use: Markdown and HTML characters escaped, line breaks as `<br>`,
/// and a start that could open a block (list, heading, quote) neutralised.
pub fn text(raw: &str) -> String {
    raw.split('\n')
        .map(escape_line)
        .collect::<Vec<_>>()
        .join("<br>")
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '$' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    neutralise_block_start(out)
}

/// `-1 email` would start a list and `1. step` a numbered one; escape the marker.
fn neutralise_block_start(line: String) -> String {
    if line.starts_with(['-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_structure() {
        assert_eq!(text("a | b"), "a \\| b");
        assert_eq!(text("<script>"), "&lt;script&gt;");
        assert_eq!(text("-1 email"), "\\-1 email");
        assert_eq!(text("1. step"), "1\\. step");
        assert_eq!(text("# big\nline"), "\\# big<br>line");
        assert_eq!(text("&amp;"), "&amp;amp;");
    }

    #[test]
    fn destinations_cannot_break_out() {
        assert_eq!(
            destination("https://x.test/a?b=<c>|\"d\" (e)&f"),
            "https://x.test/a?b=%3Cc%3E%7C%22d%22%20%28e%29&amp;f"
        );
    }
}
