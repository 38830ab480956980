//! The playbook as one self-contained HTML page: inline CSS, no scripts, nothing fetched from
//! the network. It reads on a laptop and a phone and prints a stage per page, so it can be
//! saved as PDF. Every piece of user text goes through [`esc`].

use super::{
    CriteriaSection, FieldEntry, Link, MainPath, Playbook, Ref, RoleEntry, StageKind, StageSection,
    ToolEntry,
};
pub use crate::emit::html::escape as esc;
use std::fmt::Write;

const STYLE: &str = include_str!("playbook.css");

/// The page for an outline, with `map` (an `<svg>` element) as its process map.
pub fn render(book: &Playbook, map: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Playbook: {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&book.title)
    );
    overview(&mut out, book);
    contents(&mut out, book);
    who_it_is_for(&mut out, book);
    if let Some(variant) = &book.variant {
        variant_section(&mut out, variant);
    }
    at_a_glance(&mut out, book);
    process_map(&mut out, map);
    time_to_win(&mut out, &book.main_path);
    out.push_str("<section id=\"stage-by-stage\">\n<h2>Stage by stage</h2>\n");
    for stage in &book.stages {
        stage_section(&mut out, stage);
    }
    out.push_str("</section>\n");
    if !book.criteria.is_empty() {
        criteria_sections(&mut out, &book.criteria);
    }
    if !book.scorings.is_empty() {
        scoring_sections(&mut out, book);
    }
    glossary(&mut out, &book.fields);
    tools(&mut out, &book.tools);
    roles(&mut out, &book.roles);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Escaped text with its line breaks kept.
fn esc_lines(raw: &str) -> String {
    raw.split('\n').map(esc).collect::<Vec<_>>().join("<br>")
}

fn open_section(out: &mut String, id: &str, title: &str, class: &str) {
    let _ = writeln!(
        out,
        "<section id=\"{id}\" class=\"{class}\">\n<h2>{title}</h2>"
    );
}

fn overview(out: &mut String, book: &Playbook) {
    out.push_str(
        "<header id=\"overview\" class=\"cover\">\n<p class=\"kicker\">Sales playbook</p>\n",
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(&book.title));
    out.push_str("<dl class=\"facts\">\n");
    for (name, value) in &book.facts {
        let _ = writeln!(out, "<dt>{name}</dt><dd>{}</dd>", esc(value));
    }
    out.push_str("</dl>\n");
    if let Some(description) = &book.description {
        let _ = writeln!(out, "<p class=\"lead\">{}</p>", esc_lines(description));
    }
    out.push_str("</header>\n");
}

fn contents(out: &mut String, book: &Playbook) {
    let entries = book.contents();
    out.push_str("<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n");
    for (anchor, title) in entries {
        let _ = writeln!(out, "<li><a href=\"#{anchor}\">{title}</a></li>");
    }
    out.push_str("</ol>\n</nav>\n");
}

fn who_it_is_for(out: &mut String, book: &Playbook) {
    open_section(out, "who-it-is-for", "Who it is for", "part");
    if book.segments.is_empty() {
        out.push_str("<p>Every customer: this process names no segments.</p>\n");
    } else {
        out.push_str("<ul class=\"segments\">\n");
        for s in &book.segments {
            let _ = write!(out, "<li><strong>{}</strong>", esc(&s.label));
            if let Some(d) = &s.description {
                let _ = write!(out, ": {}", esc_lines(d));
            }
            if let Some(w) = &s.when {
                let _ = write!(out, "<br><span class=\"muted\">{}</span>", esc(w));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn variant_section(out: &mut String, variant: &super::variant::Variant) {
    open_section(
        out,
        "how-this-variant-differs",
        "How this variant differs",
        "part",
    );
    let _ = writeln!(
        out,
        "<p>This process extends <strong>{}</strong> and inherits its stages, except as listed here.</p>",
        esc(&variant.base)
    );
    if variant.added.is_empty() && variant.removed.is_empty() && variant.changed.is_empty() {
        out.push_str("<p>Its stages are the same as the base process.</p>\n");
    }
    if !variant.added.is_empty() {
        let _ = writeln!(
            out,
            "<p><strong>Stages added:</strong> {}</p>",
            links(&variant.added)
        );
    }
    if !variant.removed.is_empty() {
        let removed: Vec<String> = variant.removed.iter().map(|l| esc(l)).collect();
        let _ = writeln!(
            out,
            "<p><strong>Stages removed:</strong> {}</p>",
            removed.join(", ")
        );
    }
    for (stage, changes) in &variant.changed {
        let _ = writeln!(
            out,
            "<p><strong>Changed:</strong> {}</p>\n<div class=\"table-wrap\"><table>\n\
             <thead><tr><th>Property</th><th>Here</th><th>In the base</th></tr></thead>\n<tbody>",
            link(stage)
        );
        for c in changes {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                c.property,
                esc_lines(&c.now),
                esc_lines(&c.base)
            );
        }
        out.push_str("</tbody>\n</table></div>\n");
    }
    out.push_str("</section>\n");
}

fn at_a_glance(out: &mut String, book: &Playbook) {
    open_section(out, "stages-at-a-glance", "Stages at a glance", "part");
    out.push_str("<ol class=\"path\">\n");
    for s in book.open_stages() {
        let _ = writeln!(
            out,
            "<li class=\"chevron\"><a href=\"#{}\">{}</a></li>",
            s.stage.anchor,
            esc(&s.stage.label)
        );
    }
    out.push_str("</ol>\n");
    let closing: Vec<String> = book
        .stages
        .iter()
        .filter(|s| s.kind != StageKind::Open)
        .map(|s| {
            format!(
                "<a class=\"end {}\" href=\"#{}\">{}</a>",
                s.kind.class(),
                s.stage.anchor,
                esc(&s.stage.label)
            )
        })
        .collect();
    if !closing.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"path-end\">Closes as {}</p>",
            closing.join(" ")
        );
    }
    out.push_str(
        "<div class=\"table-wrap\"><table>\n<thead><tr><th>#</th><th>Stage</th><th>Owner</th>\
         <th>Probability</th><th>Forecast</th><th>Expected time</th><th>Stalled after</th></tr></thead>\n<tbody>\n",
    );
    for s in &book.stages {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            s.number,
            link(&s.stage),
            optional(&s.owner),
            optional(&s.probability),
            s.forecast,
            optional(&s.expected),
            optional(&s.stale_after)
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn optional(value: &Option<String>) -> String {
    value.as_deref().map(esc).unwrap_or_else(|| "–".into())
}

fn process_map(out: &mut String, map: &str) {
    open_section(out, "process-map", "Process map", "part");
    let _ = writeln!(out, "<figure class=\"map\">\n{map}\n</figure>");
    out.push_str("<p class=\"muted\">Stages run from top to bottom. Arrows on the right skip ahead; dashed arrows on the left go back to an earlier stage; light arrows lead to a lost stage.</p>\n");
    out.push_str("</section>\n");
}

fn time_to_win(out: &mut String, path: &MainPath) {
    open_section(out, "time-to-win", "Time to win", "part");
    let stages: Vec<String> = path.stages.iter().map(link).collect();
    let _ = writeln!(
        out,
        "<p class=\"main-path\"><strong>Main path:</strong> {}</p>",
        stages.join(" → ")
    );
    let sentences: Vec<String> = path.sentences.iter().map(|s| esc(s)).collect();
    let _ = writeln!(out, "<p>{}</p>", sentences.join(" "));
    out.push_str("</section>\n");
}

fn stage_section(out: &mut String, s: &StageSection) {
    let _ = writeln!(
        out,
        "<section class=\"stage {}\" id=\"{}\">\n<h3><span class=\"num\">{}</span> {}</h3>",
        s.kind.class(),
        s.stage.anchor,
        s.number,
        esc(&s.stage.label)
    );
    badges(out, s);
    if let Some(objective) = &s.objective {
        let _ = writeln!(
            out,
            "<p class=\"objective\"><strong>Objective:</strong> {}</p>",
            esc_lines(objective)
        );
    }
    if let Some(description) = &s.description {
        let _ = writeln!(out, "<p>{}</p>", esc_lines(description));
    }
    let activities: Vec<String> = s.activities.iter().map(|a| esc_lines(a)).collect();
    list(out, "What to do", "ol", &activities);
    let tools: Vec<String> = s
        .tools
        .iter()
        .map(|t| tool_link(&t.tool.label, t.link.as_ref()))
        .collect();
    list(out, "Tools", "ul", &tools);
    let capture: Vec<String> = s
        .capture
        .iter()
        .map(|f| field_item(&f.field, f.ty, &f.choices))
        .collect();
    list(out, s.capture_heading(), "ul", &capture);
    let known: Vec<String> = s.known.iter().map(link).collect();
    list(out, s.known_heading(), "ul", &known);
    if let Some(exit) = &s.exit {
        out.push_str("<h4>When you may move on</h4>\n");
        match &exit.criteria {
            Some(criteria) => {
                let _ = writeln!(out, "<p>Every item of {} must hold:</p>", link(criteria));
                let items: Vec<String> = exit.lines.iter().map(|l| esc(l)).collect();
                items_list(out, "ul class=\"checklist\"", "ul", &items);
            }
            None => {
                let _ = writeln!(out, "<p>Only when {}.</p>", esc(&exit.lines.join(" ")));
            }
        }
    }
    if !s.timing.is_empty() {
        let timing: Vec<String> = s.timing.iter().map(|t| esc(t)).collect();
        let _ = writeln!(
            out,
            "<h4>How long it should take</h4>\n<p>{}</p>",
            timing.join(" ")
        );
    }
    let follow_ups: Vec<String> = s.follow_ups.iter().map(|f| esc_lines(f)).collect();
    list(out, "Follow-ups", "ul", &follow_ups);
    let automations: Vec<String> = s.automations.iter().map(|a| esc_lines(a)).collect();
    list(out, "What happens automatically", "ul", &automations);
    if !s.guidance.is_empty() {
        let lines: Vec<String> = s.guidance.iter().map(|g| esc(g)).collect();
        let _ = writeln!(
            out,
            "<h4>Coaching</h4>\n<blockquote class=\"guidance\">{}</blockquote>",
            lines.join("<br>\n")
        );
    }
    let next: Vec<String> = s
        .next
        .iter()
        .map(|n| match n.note {
            Some(note) => format!("{} <span class=\"muted\">({note})</span>", link(&n.stage)),
            None => link(&n.stage),
        })
        .collect();
    list(out, "Where the deal can go next", "ul", &next);
    if let Some(note) = &s.next_note {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(note));
    }
    out.push_str("</section>\n");
}

fn badges(out: &mut String, s: &StageSection) {
    let mut badges = Vec::new();
    match s.kind {
        StageKind::Won => badges.push("Closes the deal as won".to_string()),
        StageKind::Lost => badges.push("Closes the deal as lost".to_string()),
        StageKind::Open => {}
    }
    if let Some(owner) = &s.owner {
        badges.push(format!("Owner: {}", esc(owner)));
    }
    if let Some(p) = &s.probability {
        badges.push(format!("Probability: {}", esc(p)));
    }
    badges.push(format!("Forecast: {}", s.forecast));
    let spans: Vec<String> = badges.iter().map(|b| format!("<span>{b}</span>")).collect();
    let _ = writeln!(out, "<p class=\"badges\">{}</p>", spans.join(" "));
}

/// A sub-heading and a list of already escaped items; nothing when there are none.
fn list(out: &mut String, heading: &str, tag: &str, items: &[String]) {
    if !items.is_empty() {
        let _ = writeln!(out, "<h4>{heading}</h4>");
        items_list(out, tag, tag, items);
    }
}

fn items_list(out: &mut String, open: &str, close: &str, items: &[String]) {
    let _ = writeln!(out, "<{open}>");
    for item in items {
        let _ = writeln!(out, "<li>{item}</li>");
    }
    let _ = writeln!(out, "</{close}>");
}

fn field_item(field: &Ref, ty: &str, choices: &[String]) -> String {
    let mut item = format!("{} <span class=\"muted\">({ty}", link(field));
    if !choices.is_empty() {
        let values: Vec<String> = choices.iter().map(|c| esc(c)).collect();
        let _ = write!(item, ": {}", values.join(", "));
    }
    item.push_str(")</span>");
    item
}

fn criteria_sections(out: &mut String, criteria: &[CriteriaSection]) {
    open_section(
        out,
        "qualification-criteria",
        "Qualification criteria",
        "part appendix",
    );
    for c in criteria {
        let _ = writeln!(
            out,
            "<h3 id=\"{}\">{}</h3>\n<dl class=\"items\">",
            c.criteria.anchor,
            esc(&c.criteria.label)
        );
        for (name, condition) in &c.items {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(name), esc(condition));
        }
        out.push_str("</dl>\n");
        if !c.used_in.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"muted\">Checked to leave: {}</p>",
                links(&c.used_in)
            );
        }
    }
    out.push_str("</section>\n");
}

fn scoring_sections(out: &mut String, book: &Playbook) {
    open_section(out, "lead-scoring", "Lead scoring", "part appendix");
    for s in &book.scorings {
        let _ = writeln!(
            out,
            "<h3 id=\"{}\">{}</h3>\n<ul class=\"rules\">",
            s.scoring.anchor,
            esc(&s.scoring.label)
        );
        for (points, condition) in &s.rules {
            let class = if points.starts_with('+') {
                "plus"
            } else {
                "minus"
            };
            let _ = writeln!(
                out,
                "<li><span class=\"points {class}\">{points}</span> when {}</li>",
                esc(condition)
            );
        }
        let _ = writeln!(
            out,
            "</ul>\n<p>A lead qualifies at <strong>{} points</strong> or more.</p>",
            esc(&s.threshold)
        );
        let met: Vec<String> = s
            .example
            .iter()
            .map(|(points, condition)| format!("{points}: {}", esc(condition)))
            .collect();
        out.push_str("<div class=\"example\">\n<p><strong>Example</strong></p>\n");
        if !met.is_empty() {
            items_list(out, "ul", "ul", &met);
        }
        let _ = writeln!(out, "<p>{}</p>\n</div>", esc(&s.example_result));
    }
    out.push_str("</section>\n");
}

fn glossary(out: &mut String, fields: &[FieldEntry]) {
    open_section(
        out,
        "glossary-of-fields",
        "Glossary of fields",
        "part appendix",
    );
    if fields.is_empty() {
        out.push_str("<p>This process captures no fields.</p>\n");
    } else {
        out.push_str("<dl class=\"glossary\">\n");
        for f in fields {
            let _ = write!(
                out,
                "<dt id=\"{}\">{} <span class=\"muted\">({}",
                f.field.anchor,
                esc(&f.field.label),
                f.ty
            );
            if !f.choices.is_empty() {
                let values: Vec<String> = f.choices.iter().map(|c| esc(c)).collect();
                let _ = write!(out, ": {}", values.join(", "));
            }
            out.push_str(")</span></dt>\n<dd>");
            if let Some(d) = &f.description {
                let _ = write!(out, "{}<br>", esc_lines(d));
            }
            let _ = write!(out, "Captured in: {}", none_or(links(&f.captured_in)));
            if !f.checked_in.is_empty() {
                let _ = write!(out, "<br>Checked to leave: {}", links(&f.checked_in));
            }
            out.push_str("</dd>\n");
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</section>\n");
}

fn none_or(text: String) -> String {
    if text.is_empty() {
        "no stage of this process".into()
    } else {
        text
    }
}

fn tools(out: &mut String, tools: &[ToolEntry]) {
    open_section(out, "tools", "Tools", "part");
    if tools.is_empty() {
        out.push_str("<p>This process names no tools.</p>\n");
    } else {
        out.push_str("<dl class=\"glossary\">\n");
        for t in tools {
            let _ = write!(
                out,
                "<dt id=\"{}\">{}",
                t.tool.anchor,
                tool_link(&t.tool.label, t.link.as_ref())
            );
            if let Some(kind) = &t.kind {
                let _ = write!(out, " <span class=\"muted\">({})</span>", esc(kind));
            }
            out.push_str("</dt>\n<dd>");
            if let Some(d) = &t.description {
                let _ = write!(out, "{}<br>", esc_lines(d));
            }
            let _ = writeln!(out, "Used in: {}</dd>", none_or(links(&t.used_in)));
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</section>\n");
}

fn roles(out: &mut String, roles: &[RoleEntry]) {
    open_section(out, "roles", "Roles", "part");
    if roles.is_empty() {
        out.push_str("<p>This process names no roles.</p>\n");
    } else {
        out.push_str("<dl class=\"glossary\">\n");
        for r in roles {
            let owns = if r.owns.is_empty() {
                "no stage".to_string()
            } else {
                links(&r.owns)
            };
            let _ = write!(
                out,
                "<dt id=\"{}\">{}</dt>\n<dd>Owns {owns}",
                r.role.anchor,
                esc(&r.role.label)
            );
            if !r.involved_in.is_empty() {
                let _ = write!(out, "; gets tasks or alerts in {}", links(&r.involved_in));
            }
            out.push_str("</dd>\n");
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</section>\n");
}

fn link(target: &Ref) -> String {
    format!("<a href=\"#{}\">{}</a>", target.anchor, esc(&target.label))
}

fn links(targets: &[Ref]) -> String {
    targets.iter().map(link).collect::<Vec<_>>().join(", ")
}

/// A tool's label, linked when its link is safe; otherwise the address is shown as text.
fn tool_link(label: &str, link: Option<&Link>) -> String {
    match link {
        Some(l) if l.clickable => format!(
            "<a class=\"external\" href=\"{}\">{}</a>",
            esc(l.url.trim()),
            esc(label)
        ),
        Some(l) => format!(
            "{} <span class=\"muted\">(link: <code>{}</code>)</span>",
            esc(label),
            esc(&l.url)
        ),
        None => esc(label),
    }
}
