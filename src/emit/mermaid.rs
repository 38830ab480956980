//! The process map as a Mermaid flowchart (`<process>.mmd`), for GitHub and Markdown tools.
//!
//! Every label is a `"..."` string whose text is written with Mermaid's entity codes
//! (`#quot;`, `#35;`, ...) for anything the flowchart syntax or HTML could read as
//! markup, so no label can end its string, start a new statement or inject HTML. Node ids
//! are the stage ids prefixed with `s_`, so a stage called `end` or `class` is not a keyword.

use super::map::{self, EdgeLook, Legend, Map, StageLook};
use super::{EmitError, Emitted};
use crate::model::{Model, Process, ProcessId, Stage, StageId};
use std::fmt::Write;

/// The `mermaid` backend.
pub fn emit(model: &Model, process: ProcessId) -> Result<Emitted, EmitError> {
    let id = &model.process(process).id;
    Ok(Emitted::file(
        format!("{id}.mmd"),
        flowchart(model, model.process(process)),
    ))
}

/// The whole flowchart: stages, transitions, legend, then styling.
pub fn flowchart(model: &Model, process: &Process) -> String {
    let map = Map::new(process);
    let legend = map.legend();
    let mut chart = Chart::default();
    chart.line(format!("%% {}", comment(&process.label)));
    chart.line("flowchart LR");
    chart.depth = 1;
    for id in process.stage_ids() {
        let stage = process.stage(id);
        let label = stage_label(model, &map, id);
        chart.node(&node_id(stage), shape(StageLook::of(stage), &label));
    }
    for link in &map.links {
        let (from, to) = (process.stage(link.from), process.stage(link.to));
        chart.link(&node_id(from), &node_id(to), link.look, None);
    }
    chart.legend(&legend);
    chart.styles(process, &legend);
    chart.text
}

/// The text being written, and the transitions drawn light (for `linkStyle`, which counts
/// links in the order they appear).
#[derive(Default)]
struct Chart {
    text: String,
    /// Indentation level of the next line.
    depth: usize,
    links: usize,
    faded: Vec<usize>,
}

impl Chart {
    fn line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(&"    ".repeat(self.depth));
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    fn node(&mut self, id: &str, shape: String) {
        self.line(format!("{id}{shape}"));
    }

    /// A transition: dashed when it goes back, faded (through `linkStyle`) into lost stages.
    fn link(&mut self, from: &str, to: &str, look: EdgeLook, text: Option<&str>) {
        let arrow = if look.backward { "-.->" } else { "-->" };
        let text = text
            .map(|t| format!("|\"{}\"|", label(t)))
            .unwrap_or_default();
        self.line(format!("{from} {arrow}{text} {to}"));
        if look.into_lost {
            self.faded.push(self.links);
        }
        self.links += 1;
    }

    /// A sample node per stage look in use, and a sample of each special link style.
    fn legend(&mut self, legend: &Legend) {
        self.line("subgraph legend [\"Legend\"]");
        self.depth += 1;
        for look in &legend.stages {
            let id = format!("legend_{}", look.class());
            self.node(&id, shape(*look, &label(&look.legend())));
        }
        for sample in legend.edge_samples() {
            let from = format!("legend_{}_from", sample.name);
            let to = format!("legend_{}_to", sample.name);
            self.node(&from, "[\" \"]".into());
            self.node(&to, "[\" \"]".into());
            self.link(&from, &to, sample.look, Some(sample.text));
            self.line(format!("class {from},{to} point"));
        }
        self.depth -= 1;
        self.line("end");
    }

    /// `classDef` per stage look, the classes of every node, and the faded links.
    fn styles(&mut self, process: &Process, legend: &Legend) {
        for look in &legend.stages {
            let width = if matches!(look, StageLook::Open(_)) {
                1
            } else {
                2
            };
            self.line(format!(
                "classDef {} fill:{},stroke:{},stroke-width:{width}px,color:#111111",
                look.class(),
                look.fill(),
                look.stroke()
            ));
        }
        self.line("classDef point fill:none,stroke:none");
        for look in &legend.stages {
            let members: Vec<String> = process
                .stages
                .iter()
                .filter(|s| StageLook::of(s) == *look)
                .map(node_id)
                .chain([format!("legend_{}", look.class())])
                .collect();
            self.line(format!("class {} {}", members.join(","), look.class()));
        }
        if !self.faded.is_empty() {
            let indexes: Vec<String> = self.faded.iter().map(|i| i.to_string()).collect();
            let style = format!("stroke:{},color:{}", map::FADED, map::FADED);
            self.line(format!("linkStyle {} {style}", indexes.join(",")));
        }
    }
}

fn node_id(stage: &Stage) -> String {
    format!("s_{}", stage.id)
}

/// The node's bracket shape around its (already escaped) label: rounded for open stages,
/// a double circle for won, a hexagon for lost.
fn shape(look: StageLook, label: &str) -> String {
    match look {
        StageLook::Open(_) => format!("(\"{label}\")"),
        StageLook::Won => format!("(((\"{label}\")))"),
        StageLook::Lost => format!("{{{{\"{label}\"}}}}"),
    }
}

/// The stage's name in bold, then probability, expected time and owner.
fn stage_label(model: &Model, map: &Map, id: StageId) -> String {
    let mut text = format!("<b>{}</b>", label(&map.process.stage(id).label));
    for line in map.details(model, id) {
        let _ = write!(text, "<br/>{}", label(&line));
    }
    text
}

/// Text for inside a `"..."` label. Characters Mermaid or HTML could take as syntax become
/// entity codes (`:` too, because Mermaid strips the last `;` of a line that looks like
/// `style...:...#...;` before parsing); newlines become `<br/>`.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in map::printable(text) {
        match c {
            '"' => out.push_str("#quot;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' | '|' | '[' | ']' | '{' | '}' | ';' | ':' | '`' | '\\' => {
                let _ = write!(out, "#{};", c as u32);
            }
            '\n' => out.push_str("<br/>"),
            c => out.push(c),
        }
    }
    out
}

/// Text for a `%%` comment: one line.
fn comment(text: &str) -> String {
    map::printable(text)
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect()
}
