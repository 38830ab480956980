//! The process map in Graphviz DOT (`<process>.dot`), built with graphviz-rust's graph types.
//!
//! graphviz-rust prints ids exactly as given, so every id and value here goes through
//! [`quoted`] (a DOT string) or [`html`] (an HTML-like label): nothing reaches the printer
//! unescaped, whatever the labels contain.

use super::map::{self, EdgeLook, Legend, Link, Map, StageLook};
use super::{EmitError, Emitted};
use crate::model::{Model, Process, ProcessId, StageId};
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

const FONT: &str = "Helvetica";

/// Graphviz refuses any string (quoted or HTML-like) of 16,384 bytes or more. A label's text
/// is clipped to this many characters (at most 6 bytes each once escaped, so a stage's name
/// and detail lines stay far below the limit); a tooltip, drawn nowhere, to a few times more.
const MAX_LABEL_CHARS: usize = 500;
const MAX_TOOLTIP_CHARS: usize = 2_000;
/// Ids longer than this (in bytes; ids are ASCII) are shortened and made unique by a hash.
const MAX_ID_BYTES: usize = 1_000;

/// The `dot` backend.
pub fn emit(model: &Model, process: ProcessId) -> Result<Emitted, EmitError> {
    let id = &model.process(process).id;
    Ok(Emitted::file(
        format!("{id}.dot"),
        process_map(model, process),
    ))
}

/// The DOT text of a process map; the rendered formats lay out exactly this.
pub fn process_map(model: &Model, process: ProcessId) -> String {
    let mut text = graph(model, model.process(process)).print(&mut PrinterContext::default());
    text.push('\n');
    text
}

fn graph(model: &Model, process: &Process) -> Graph {
    let map = Map::new(process);
    let per_row = stages_per_row(process.stages.len());
    let mut stmts = defaults(process, per_row.is_some());
    let nodes = process.stage_ids().map(|id| stage_node(model, &map, id));
    stmts.extend(nodes.map(Stmt::Node));
    let row_of = |id: StageId| per_row.map(|n| id.0 / n);
    stmts.extend(
        map.links
            .iter()
            .map(|l| Stmt::Edge(link_edge(process, l, row_of(l.from) == row_of(l.to)))),
    );
    if let Some(per_row) = per_row {
        stmts.extend(rows(process, per_row));
    }
    stmts.push(Stmt::Subgraph(legend(&map.legend())));
    Graph::DiGraph {
        id: node_id(&process.id),
        strict: false,
        stmts,
    }
}

/// Up to this many stages, the map is one row, left to right.
const ONE_ROW: usize = 8;

/// How many stages go in a row when the map wraps into rows, or `None` for one row. About
/// the square root of the count (a stage is some three times wider than a row is high, so
/// `1.2 n`), which gives a picture about as wide as a screen: 60 stages make 7 rows of 9.
fn stages_per_row(stages: usize) -> Option<usize> {
    (stages > ONE_ROW).then(|| ((1.2 * stages as f64).sqrt().ceil() as usize).max(ONE_ROW / 2))
}

/// Rows of stages, read like text: each row is one rank, held in display order by invisible
/// edges, and each row's first stage is above the next row's.
fn rows(process: &Process, per_row: usize) -> Vec<Stmt> {
    let ids: Vec<&str> = process.stages.iter().map(|s| s.id.as_str()).collect();
    let invisible = || vec![attr("style", quoted("invis"))];
    let mut stmts = Vec::new();
    for (i, row) in ids.chunks(per_row).enumerate() {
        let mut members = vec![Stmt::Attribute(attr("rank", quoted("same")))];
        members.extend(
            row.iter()
                .map(|id| Stmt::Node(Node::new(NodeId(node_id(id), None), vec![]))),
        );
        stmts.push(Stmt::Subgraph(Subgraph {
            id: quoted(&format!("row_{i}")),
            stmts: members,
        }));
        stmts.extend(
            row.windows(2)
                .map(|pair| Stmt::Edge(edge(pair[0], pair[1], invisible()))),
        );
    }
    let firsts: Vec<&str> = ids.chunks(per_row).map(|row| row[0]).collect();
    // Heavy, so the rows start one under the other.
    let aligned = || [invisible(), vec![attr("weight", quoted("100"))]].concat();
    stmts.extend(
        firsts
            .windows(2)
            .map(|pair| Stmt::Edge(edge(pair[0], pair[1], aligned()))),
    );
    stmts
}

/// Graph, node and edge defaults: left to right (top to bottom when the stages wrap into
/// rows), titled with the process's name.
fn defaults(process: &Process, wrapped: bool) -> Vec<Stmt> {
    let graph = vec![
        attr("rankdir", quoted(if wrapped { "TB" } else { "LR" })),
        attr("label", html(&bold(&process.label))),
        attr("labelloc", quoted("t")),
        attr("fontname", quoted(FONT)),
        attr("fontsize", quoted("16")),
        attr("nodesep", quoted("0.35")),
        attr("ranksep", quoted("0.6")),
    ];
    // Long lines into one stage are merged where they run side by side: in large maps
    // Graphviz would otherwise lay out each as its own chain of hidden nodes (150 stages
    // with every other one leading to a lost stage took minutes; merged, well under a second).
    let graph = if process.stages.len() > map::MANY_STAGES {
        [graph, vec![attr("concentrate", quoted("true"))]].concat()
    } else {
        graph
    };
    let node = vec![
        attr("fontname", quoted(FONT)),
        attr("fontsize", quoted("11")),
        attr("margin", quoted("0.15,0.08")),
    ];
    let edge = vec![
        attr("color", quoted(map::LINE)),
        attr("arrowsize", quoted("0.7")),
        attr("fontname", quoted(FONT)),
        attr("fontsize", quoted("9")),
    ];
    vec![
        Stmt::GAttribute(GraphAttributes::Graph(graph)),
        Stmt::GAttribute(GraphAttributes::Node(node)),
        Stmt::GAttribute(GraphAttributes::Edge(edge)),
    ]
}

/// A stage: its name in bold, then probability, expected time and owner; the objective as
/// tooltip.
fn stage_node(model: &Model, map: &Map, id: StageId) -> Node {
    let stage = map.process.stage(id);
    let mut label = bold(&stage.label);
    for line in map.details(model, id) {
        let line = html_text(&line);
        // Graphviz refuses an empty element, as it would a role with an empty label.
        if !line.is_empty() {
            label.push_str(&format!("<br/><font point-size=\"9\">{line}</font>"));
        }
    }
    let mut attributes = vec![attr("label", html(&label))];
    attributes.extend(look_attributes(StageLook::of(stage)));
    if let Some(objective) = &stage.objective {
        attributes.push(attr("tooltip", tooltip(objective)));
    }
    Node::new(NodeId(node_id(&stage.id), None), attributes)
}

/// Shape, fill and outline for a stage look (also used by the legend).
fn look_attributes(look: StageLook) -> Vec<Attribute> {
    let (shape, style, penwidth) = match look {
        StageLook::Open(_) => ("box", "rounded,filled", "1"),
        StageLook::Won => ("doubleoctagon", "filled", "1.5"),
        StageLook::Lost => ("octagon", "filled", "1.5"),
    };
    vec![
        attr("shape", quoted(shape)),
        attr("style", quoted(style)),
        attr("fillcolor", quoted(look.fill())),
        attr("color", quoted(look.stroke())),
        attr("penwidth", quoted(penwidth)),
    ]
}

/// A transition; `in_row` when both ends are in one row of the map.
fn link_edge(process: &Process, link: &Link, in_row: bool) -> Edge {
    let mut attributes = edge_attributes(link.look);
    if !in_row {
        // Between rows, a line must not pull the rows out of line.
        attributes.push(attr("weight", quoted("0")));
    } else if link.look == EdgeLook::default() {
        // Forward moves between open and won stages are the main path: keep it straight.
        attributes.push(attr("weight", quoted("3")));
    }
    edge(
        &process.stage(link.from).id,
        &process.stage(link.to).id,
        attributes,
    )
}

/// Dashed when going back, light when going into a lost stage.
fn edge_attributes(look: EdgeLook) -> Vec<Attribute> {
    let mut attributes = Vec::new();
    if look.backward {
        attributes.push(attr("style", quoted("dashed")));
    }
    if look.into_lost {
        attributes.push(attr("color", quoted(map::FADED)));
    }
    attributes
}

fn edge(from: &str, to: &str, attributes: Vec<Attribute>) -> Edge {
    let vertex = |id: &str| Vertex::N(NodeId(node_id(id), None));
    Edge {
        ty: EdgeTy::Pair(vertex(from), vertex(to)),
        attributes,
    }
}

/// The legend: one small node, a table of a swatch per stage look the process uses and a
/// sample of each special line style, placed after the last stages (`rank=sink`). Compact, so a
/// small process's map is not shrunk to make room for it. Its id starts with `_`, which no
/// stage id can.
fn legend(legend: &Legend) -> Subgraph {
    let mut rows = String::from("<tr><td colspan=\"2\" align=\"left\"><b>Legend</b></td></tr>");
    for look in &legend.stages {
        rows.push_str(&format!(
            "<tr><td bgcolor=\"{}\" color=\"{}\" border=\"1\" width=\"16\" height=\"10\"></td><td align=\"left\">{}</td></tr>",
            look.fill(),
            look.stroke(),
            html_text(&look.legend())
        ));
    }
    for sample in legend.edge_samples() {
        let (line, colour) = if sample.look.backward {
            ("- - -&gt;", map::LINE)
        } else {
            ("——&gt;", map::FADED)
        };
        rows.push_str(&format!(
            "<tr><td><font color=\"{colour}\">{line}</font></td><td align=\"left\">{}</td></tr>",
            sample.text
        ));
    }
    let table = format!(
        "<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"1\">{rows}</table>"
    );
    let node = Node::new(
        NodeId(node_id("_legend"), None),
        vec![
            attr("shape", quoted("plaintext")),
            attr("fontsize", quoted("8")),
            attr("margin", quoted("0")),
            attr("label", html(&table)),
        ],
    );
    Subgraph {
        id: quoted("legend"),
        stmts: vec![
            Stmt::Attribute(attr("rank", quoted("sink"))),
            Stmt::Node(node),
        ],
    }
}

fn attr(name: &str, value: Id) -> Attribute {
    Attribute(Id::Plain(name.into()), value)
}

/// A DOT quoted string. Backslashes are doubled and quotes escaped, so Graphviz's escape
/// sequences (`\N`, `\l`, ...) in user text print as written; a newline becomes `\n`.
pub fn quoted(text: &str) -> Id {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in map::printable(text) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

/// A tooltip. Graphviz reads a tooltip's backslash escapes twice (as an escString, then
/// again when writing the SVG), so each backslash is doubled once more than in [`quoted`]
/// (checked with Graphviz 2.43); newlines become spaces, since a tooltip is one line.
fn tooltip(text: &str) -> Id {
    let text = map::clip(text, MAX_TOOLTIP_CHARS);
    let one_line = text.replace('\n', " ").replace('\\', "\\\\");
    quoted(&one_line)
}

/// A node or graph id. Ids are unique names, so a long one keeps its start and gets a hash
/// of the whole instead of being clipped.
fn node_id(id: &str) -> Id {
    if id.len() <= MAX_ID_BYTES {
        return quoted(id);
    }
    let start = crate::source::floor_char_boundary(id, MAX_ID_BYTES - 20);
    quoted(&format!("{}_{:016x}", &id[..start], fnv1a(id)))
}

/// FNV-1a: a fixed hash, so the same id gives the same DOT on every run and machine.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A name in bold; a lone space for an empty one, since Graphviz refuses `<b></b>`.
fn bold(text: &str) -> String {
    let text = html_text(text);
    if text.is_empty() {
        " ".into()
    } else {
        format!("<b>{text}</b>")
    }
}

/// An HTML-like label around markup whose text parts went through [`html_text`].
fn html(markup: &str) -> Id {
    Id::Html(format!("<{markup}>"))
}

/// Text for an HTML-like label, clipped to [`MAX_LABEL_CHARS`]: markup characters become
/// entities, newlines line breaks. Graphviz still expands `\N`, `\G`, ... in HTML-like text
/// (even written as `&#92;N`), and reads `\\` as one backslash, so backslashes are doubled.
pub fn html_text(text: &str) -> String {
    let text = map::clip(text, MAX_LABEL_CHARS);
    let mut out = String::with_capacity(text.len());
    for c in map::printable(&text) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("<br/>"),
            c => out.push(c),
        }
    }
    out
}
