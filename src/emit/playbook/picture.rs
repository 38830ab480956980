//! The process map of the HTML playbook, drawn here as SVG rather than by Graphviz, so the
//! page is the same bytes on every machine whether or not Graphviz is installed (a build
//! checked in CI matches one made on a laptop).
//!
//! The layout suits a page read top to bottom: stages in display order in one column, the
//! move to the next stage listed as a short arrow between boxes, longer forward moves as arcs
//! on the right, moves back as dashed arcs on the left. An arc spanning others is drawn
//! outside them, so arcs nest instead of running over each other. It shows what the DOT map
//! shows ([`Map`]): the stage looks, the details under each name, and the faded moves into
//! lost stages.
//!
//! It is sized for a phone: at most [`MAX_WIDTH`] units wide, so on a 390 px screen it is drawn
//! at nearly full size and its smallest text stays about 12 px high; long stage names wrap onto
//! a second line instead of widening the boxes.

use crate::emit::html::escape;
use crate::emit::map::{self, Link, Map, StageLook};
use crate::model::{Model, ProcessId};
use std::fmt::Write;

const BOX_WIDTH: usize = 250;
/// Text sizes: a stage's name, and the details under it.
const NAME_SIZE: usize = 15;
const DETAIL_SIZE: usize = 13;
const LINE_HEIGHT: usize = 18;
const PADDING: usize = 9;
const GAP: usize = 28;
/// Distance of the innermost arc from the boxes, and between nested arcs.
const ARC: usize = 14;
const ARC_STEP: usize = 8;
/// Arcs deeper than this share the outermost track, so the picture keeps a phone's width.
const MAX_TRACKS: usize = 6;
/// The widest the picture gets: the boxes and the deepest arcs on both sides.
const MAX_WIDTH: usize = BOX_WIDTH + 2 * (2 * ARC + ARC_STEP * MAX_TRACKS);
/// Half the width of an arrowhead.
const HEAD: usize = 5;
/// Characters of a line in a box (a name takes up to two lines); the whole name is in its
/// tooltip.
const LINE_CHARS: usize = 26;

/// The map as an `<svg>` element for inlining into HTML.
pub fn svg(model: &Model, process: ProcessId) -> String {
    let map = Map::new(model.process(process));
    let names: Vec<Vec<String>> = map
        .process
        .stages
        .iter()
        .map(|s| name_lines(&s.label))
        .collect();
    let heights: Vec<usize> = map
        .process
        .stage_ids()
        .map(|id| 2 * PADDING + LINE_HEIGHT * (names[id.0].len() + map.details(model, id).len()))
        .collect();
    let mut tops = Vec::with_capacity(heights.len());
    let mut y = GAP / 2;
    for h in &heights {
        tops.push(y);
        y += h + GAP;
    }
    let height = y - GAP / 2;
    let (forward, backward): (Vec<&Link>, Vec<&Link>) = map
        .links
        .iter()
        .filter(|l| l.to.0 != l.from.0 + 1)
        .partition(|l| !l.look.backward);
    let right_tracks = tracks(&forward);
    let left_tracks = tracks(&backward);
    let margin = |t: &[usize]| match t.iter().max() {
        Some(deepest) => ARC + ARC_STEP * deepest + ARC,
        None => ARC,
    };
    let (left, right) = (margin(&left_tracks), margin(&right_tracks));
    let width = left + BOX_WIDTH + right;
    debug_assert!(width <= MAX_WIDTH);
    let mid = |i: usize| tops[i] + heights[i] / 2;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Process map of {}\" font-family=\"sans-serif\" font-size=\"{DETAIL_SIZE}\">",
        text(&map.process.label)
    );
    for link in map.links.iter().filter(|l| l.to.0 == l.from.0 + 1) {
        let x = left + BOX_WIDTH / 2;
        let (y1, y2) = (tops[link.from.0] + heights[link.from.0], tops[link.to.0]);
        let head = format!("M{x},{y2} l-{HEAD},-{HEAD} h{} z", 2 * HEAD);
        line(&mut out, link, &format!("M{x},{y1} L{x},{y2}"), &head);
    }
    for (link, track) in forward.iter().zip(&right_tracks) {
        let x = left + BOX_WIDTH;
        let bend = x + ARC + ARC_STEP * track;
        let (y1, y2) = (mid(link.from.0), mid(link.to.0));
        let head = format!("M{x},{y2} l{HEAD},-{HEAD} v{} z", 2 * HEAD);
        let arc = format!("M{x},{y1} C{bend},{y1} {bend},{y2} {x},{y2}");
        line(&mut out, link, &arc, &head);
    }
    for (link, track) in backward.iter().zip(&left_tracks) {
        let x = left;
        let bend = x - ARC - ARC_STEP * track;
        let (y1, y2) = (mid(link.from.0), mid(link.to.0));
        let head = format!("M{x},{y2} l-{HEAD},-{HEAD} v{} z", 2 * HEAD);
        let arc = format!("M{x},{y1} C{bend},{y1} {bend},{y2} {x},{y2}");
        line(&mut out, link, &arc, &head);
    }
    for (i, id) in map.process.stage_ids().enumerate() {
        let stage = map.process.stage(id);
        let look = StageLook::of(stage);
        let round = if stage.is_open() { 6 } else { 18 };
        let _ = write!(
            out,
            "<g><title>{}</title><rect x=\"{left}\" y=\"{}\" width=\"{BOX_WIDTH}\" height=\"{}\" rx=\"{round}\" fill=\"{}\" stroke=\"{}\"/>",
            text(&stage.label),
            tops[i],
            heights[i],
            look.fill(),
            look.stroke()
        );
        let x = left + BOX_WIDTH / 2;
        let mut y = tops[i] + PADDING - 4;
        for line in &names[i] {
            y += LINE_HEIGHT;
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" font-size=\"{NAME_SIZE}\" font-weight=\"bold\">{}</text>",
                text(line)
            );
        }
        for detail in map.details(model, id) {
            y += LINE_HEIGHT;
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" fill=\"#333333\">{}</text>",
                text(&shortened(&detail))
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>");
    out
}

/// The track of each arc: one more than the deepest arc it spans, so arcs nest.
fn tracks(links: &[&Link]) -> Vec<usize> {
    let span = |l: &Link| (l.from.0.min(l.to.0), l.from.0.max(l.to.0));
    let mut order: Vec<usize> = (0..links.len()).collect();
    order.sort_by_key(|&i| {
        let (a, b) = span(links[i]);
        (b - a, a)
    });
    let mut track = vec![0; links.len()];
    for (done, &i) in order.iter().enumerate() {
        let (a, b) = span(links[i]);
        let inner = order[..done]
            .iter()
            .filter(|&&j| {
                let (c, d) = span(links[j]);
                a <= c && d <= b
            })
            .map(|&j| track[j] + 1)
            .max()
            .unwrap_or(0);
        track[i] = inner.min(MAX_TRACKS);
    }
    track
}

/// A transition: its line, then its arrowhead (a triangle with its tip at the target).
fn line(out: &mut String, link: &Link, path: &str, head: &str) {
    let colour = if link.look.into_lost {
        map::FADED
    } else {
        map::LINE
    };
    let dash = if link.look.backward {
        " stroke-dasharray=\"5,4\""
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<g><path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.4\"{dash}/><path d=\"{head}\" fill=\"{colour}\"/></g>"
    );
}

/// Text for SVG inside HTML: printable characters only, line breaks as spaces, escaped.
fn text(raw: &str) -> String {
    let flat: String = map::printable(raw)
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    escape(&flat)
}

fn shortened(raw: &str) -> String {
    if raw.chars().count() <= LINE_CHARS {
        return raw.to_string();
    }
    let short: String = raw.chars().take(LINE_CHARS - 1).collect();
    format!("{}…", short.trim_end())
}

/// A stage name on one line, or two when it is long: broken at the last space that fits, the
/// rest shortened.
fn name_lines(name: &str) -> Vec<String> {
    let flat: String = map::printable(name)
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if flat.chars().count() <= LINE_CHARS {
        return vec![flat];
    }
    let fits: String = flat.chars().take(LINE_CHARS + 1).collect();
    match fits.rfind(' ').filter(|&at| at > 0) {
        Some(at) => vec![
            fits[..at].to_string(),
            shortened(flat[at + 1..].trim_start()),
        ],
        None => vec![shortened(&flat)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_wrap_onto_two_lines() {
        assert_eq!(name_lines("Proposal"), ["Proposal"]);
        assert_eq!(
            name_lines("Technical validation with the security team of the buyer"),
            ["Technical validation with", "the security team of the…"]
        );
        assert_eq!(
            name_lines(&"x".repeat(40)),
            [format!("{}…", "x".repeat(25))]
        );
    }
}
