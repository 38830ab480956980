//! `salespath fmt`: the canonical layout of a `.sales` file.
//!
//! The layout: two-space indent; one property per line; `key: value` and `a, b` spacing;
//! `activities { ... }` with one string per line; one blank line between stages and between
//! declarations of different kinds (declarations of one kind, such as a run of `field`s, keep
//! the blank lines the author chose, at most one); inside blocks, at most one blank line where
//! the author had some. Process, criteria, scoring and `activities` blocks are always
//! expanded; a `field`, `tool`, `segment` or `stage` block stays on one line when it holds a
//! single one-line property, no comment, and the line fits in 100 columns
//! (`tool crm "CRM" { kind: software }`, `stage closed_won { outcome: won }`); any other is
//! expanded, one property per line. Expressions, lists
//! and choice lists are printed on one line with the author's parentheses. Strings are
//! re-escaped canonically; numbers, percentages and durations are kept as written; `"""`
//! blocks keep their text, re-indented under their property. Declarations and properties stay
//! in the author's order, and every comment is kept: own-line comments before what follows
//! them, trailing comments at the end of the line they followed (a comment inside an
//! expression or list moves to the end of that property's line).
//!
//! The formatter works on the parse tree, which still has every token, group and position.

mod comments;
mod writer;

use crate::diag::Diagnostic;
use crate::source::FileId;
use crate::syntax::{block_lines, parse_file, parse_string, Rule, SalesParser};
use crate::value::quote;
use pest::iterators::Pair;
use pest::Parser;
use writer::{Blank, Writer, INDENT};

pub use comments::{scan as scan_comments, Comment};

/// Formats text that is not part of a session: a file of its own, whose diagnostics are in
/// the first file of a fresh source map. Commands format through the session instead.
pub fn format_source(src: &str) -> Result<String, Vec<Diagnostic>> {
    format_file(FileId(0), src)
}

/// Formats a whole file. A file that does not parse (or that the front end rejects before
/// resolving names) is returned as its diagnostics, in `file`.
pub fn format_file(file: FileId, src: &str) -> Result<String, Vec<Diagnostic>> {
    parse_file(file, src)?;
    let mut pairs = SalesParser::parse(Rule::file, src).map_err(|_| Vec::new())?;
    let file = pairs.next().expect("the grammar always yields a file");
    let mut printer = Printer {
        w: Writer::new(src, comments::scan(src)),
    };
    printer.file(file);
    Ok(printer.w.finish())
}

struct Printer<'s> {
    w: Writer<'s>,
}

/// The widest line a block is joined onto (`tool crm "CRM" { kind: software }`).
const MAX_WIDTH: usize = 100;

/// Declarations that may sit in a run without blank lines between them.
fn groups(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::import | Rule::role | Rule::field | Rule::tool | Rule::segment
    )
}

impl<'s> Printer<'s> {
    fn file(&mut self, file: Pair<'s, Rule>) {
        let mut previous: Option<Rule> = None;
        for decl in file.into_inner().filter(|p| p.as_rule() != Rule::EOI) {
            let rule = decl.as_rule();
            let blank = match previous {
                Some(p) if p == rule && groups(rule) => Blank::Keep,
                Some(_) => Blank::Force,
                None => Blank::Keep,
            };
            self.w.begin(decl.as_span().start(), blank);
            self.declaration(decl);
            previous = Some(rule);
        }
    }

    fn declaration(&mut self, decl: Pair<'s, Rule>) {
        match decl.as_rule() {
            Rule::field => self.field(decl),
            Rule::tool | Rule::segment => self.small_block_owner(decl),
            Rule::criteria | Rule::scoring | Rule::process => self.block_owner(decl),
            _ => self.line(&decl),
        }
    }

    /// An element that fits on one line (apart from `"""` blocks).
    fn line(&mut self, pair: &Pair<'s, Rule>) {
        let text = inline(pair, self.w.indent);
        self.w.text(&text);
        self.w.consumed(pair.as_span().end());
    }

    /// `field ID "Label": TYPE { ... }`
    fn field(&mut self, decl: Pair<'s, Rule>) {
        let mut head = Vec::new();
        let mut block = None;
        for part in decl.into_inner() {
            match part.as_rule() {
                Rule::field_type => {
                    let text = format!("{}: {}", head.join(" "), inline(&part, 0));
                    self.w.text(&text);
                    self.w.consumed(part.as_span().end());
                }
                Rule::field_block => block = Some(part),
                _ => head.push(inline(&part, self.w.indent)),
            }
        }
        if let Some(block) = block {
            self.small_block(block);
        }
    }

    /// `tool` and `segment`: a head and an optional small block.
    fn small_block_owner(&mut self, decl: Pair<'s, Rule>) {
        let (head, block) = split_head(decl);
        self.head(&head);
        if let Some(block) = block {
            self.small_block(block);
        }
    }

    /// A `{ ... }` of a field, tool or segment: on one line when that is short, else expanded.
    fn small_block(&mut self, block: Pair<'s, Rule>) {
        let span = block.as_span();
        let props: Vec<Pair<'s, Rule>> = block.into_inner().collect();
        if !self.one_line_block(span.start(), span.end(), &props) {
            self.block(span.start(), span.end(), props, |_, _| Blank::Keep);
        }
    }

    /// Writes ` { property }` when the block holds one property, no comment, and the line
    /// stays within `MAX_WIDTH`; returns whether it did.
    fn one_line_block(&mut self, open: usize, end: usize, props: &[Pair<'s, Rule>]) -> bool {
        let [only] = props else {
            return false;
        };
        if only.as_rule() == Rule::activities || self.w.has_comment_in(open, end) {
            return false;
        }
        let text = format!(" {{ {} }}", inline(only, 0));
        if text.contains('\n') || self.w.width() + text.chars().count() > MAX_WIDTH {
            return false;
        }
        self.w.text(&text);
        self.w.consumed(end);
        true
    }

    /// `criteria`, `scoring` and `process`: a head and an always-expanded block.
    fn block_owner(&mut self, decl: Pair<'s, Rule>) {
        let span = decl.as_span();
        let is_stage = decl.as_rule() == Rule::stage;
        let mut head = Vec::new();
        let mut items = Vec::new();
        for part in decl.into_inner() {
            match part.as_rule() {
                Rule::ident | Rule::string | Rule::extends if items.is_empty() => head.push(part),
                _ if head.is_empty() => head.push(part),
                _ => items.push(part),
            }
        }
        self.head(&head);
        let after_head = head.last().map_or(span.start(), |p| p.as_span().end());
        let brace = self.w.find_code(after_head, '{');
        if is_stage && self.one_line_block(brace, span.end(), &items) {
            return;
        }
        self.block(brace, span.end(), items, stage_spacing);
    }

    /// The keyword, name, label and `extends` of a declaration, on the current line.
    fn head(&mut self, head: &[Pair<'s, Rule>]) {
        let words: Vec<String> = head.iter().map(|p| inline(p, self.w.indent)).collect();
        self.w.text(&words.join(" "));
        if let Some(last) = head.last() {
            self.w.consumed(last.as_span().end());
        }
    }

    /// A block from `{` at `open` to the `}` that ends at `end`, one item per line.
    fn block(
        &mut self,
        open: usize,
        end: usize,
        items: Vec<Pair<'s, Rule>>,
        spacing: fn(Option<Rule>, Rule) -> Blank,
    ) {
        let close = end - 1;
        if items.is_empty() && !self.w.has_comment_in(open, close) {
            self.w.text(" {}");
            self.w.consumed(end);
            return;
        }
        self.w.open(open);
        let mut previous = None;
        for item in items {
            let rule = item.as_rule();
            self.w
                .begin(item.as_span().start(), spacing(previous, rule));
            self.item(item);
            previous = Some(rule);
        }
        self.w.close(close);
    }

    fn item(&mut self, item: Pair<'s, Rule>) {
        match item.as_rule() {
            Rule::stage => self.block_owner(item),
            Rule::activities => self.activities(item),
            _ => self.line(&item),
        }
    }

    /// `activities { "..." "..." }`, one string per line.
    fn activities(&mut self, item: Pair<'s, Rule>) {
        let span = item.as_span();
        let mut parts = item.into_inner();
        let keyword = parts.next().expect("grammar: activities keyword");
        self.w.text(keyword.as_str());
        let brace = self.w.find_code(keyword.as_span().end(), '{');
        self.block(brace, span.end(), parts.collect(), |_, _| Blank::Keep);
    }
}

/// Stages are set apart by one blank line; other items keep the author's spacing.
fn stage_spacing(previous: Option<Rule>, rule: Rule) -> Blank {
    match previous {
        Some(p) if p == Rule::stage || rule == Rule::stage => Blank::Force,
        _ => Blank::Keep,
    }
}

/// The keyword, name and label of a `tool` or `segment`, and its block.
fn split_head(decl: Pair<'_, Rule>) -> (Vec<Pair<'_, Rule>>, Option<Pair<'_, Rule>>) {
    let mut head = Vec::new();
    let mut block = None;
    for part in decl.into_inner() {
        match part.as_rule() {
            Rule::tool_block | Rule::segment_block => block = Some(part),
            _ => head.push(part),
        }
    }
    (head, block)
}

/// Properties written `key: value`.
fn is_key_value(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::owner
            | Rule::probability
            | Rule::forecast
            | Rule::objective
            | Rule::description
            | Rule::expected
            | Rule::stale_after
            | Rule::tools
            | Rule::requires
            | Rule::exit
            | Rule::guidance
            | Rule::next
            | Rule::from
            | Rule::outcome
            | Rule::salesforce
            | Rule::hubspot
            | Rule::pipedrive
            | Rule::renamed_from
            | Rule::kind
            | Rule::link
            | Rule::when_condition
            | Rule::criterion
            | Rule::threshold
            | Rule::selling_model
            | Rule::segments
    )
}

/// An element on one line; `indent` is the level of that line (for `"""` blocks).
fn inline(pair: &Pair<'_, Rule>, indent: usize) -> String {
    let rule = pair.as_rule();
    let parts = || pair.clone().into_inner();
    match rule {
        Rule::string => string(pair.as_str(), indent),
        Rule::expr => expr(pair),
        Rule::ident_list => parts()
            .map(|p| p.as_str().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Rule::field_type => inline(&parts().next().expect("grammar: a type"), indent),
        Rule::choice_type => {
            let values: Vec<String> = parts()
                .filter(|p| p.as_rule() == Rule::string)
                .map(|p| string(p.as_str(), indent))
                .collect();
            format!("choice[{}]", values.join(", "))
        }
        Rule::event => parts()
            .next()
            .map_or_else(String::new, |p| p.as_str().to_string()),
        Rule::automation => {
            let mut parts = parts();
            let keyword = parts.next().expect("grammar: when");
            let event = inline(&parts.next().expect("grammar: event"), indent);
            let action = inline(&parts.next().expect("grammar: action"), indent);
            format!("{} {event}: {action}", keyword.as_str())
        }
        _ if is_key_value(rule) => {
            let mut parts = parts();
            let key = parts.next().expect("grammar: a property key");
            let value: Vec<String> = parts.map(|p| inline(&p, indent)).collect();
            format!("{}: {}", key.as_str(), value.join(" "))
        }
        _ if parts().next().is_some() => parts()
            .map(|p| inline(&p, indent))
            .collect::<Vec<_>>()
            .join(" "),
        _ => pair.as_str().to_string(),
    }
}

/// An expression with single spaces and the author's parentheses.
fn expr(pair: &Pair<'_, Rule>) -> String {
    let mut out = String::new();
    for part in pair.clone().into_inner() {
        match part.as_rule() {
            Rule::op_not => out.push_str("not "),
            Rule::op_and => out.push_str(" and "),
            Rule::op_or => out.push_str(" or "),
            Rule::group => {
                let inner = part
                    .into_inner()
                    .next()
                    .expect("grammar: a group holds an expr");
                out.push('(');
                out.push_str(&expr(&inner));
                out.push(')');
            }
            _ => out.push_str(&condition(&part)),
        }
    }
    out
}

fn condition(pair: &Pair<'_, Rule>) -> String {
    let mut parts = pair.clone().into_inner();
    let mut out = parts
        .next()
        .expect("grammar: a condition names something")
        .as_str()
        .to_string();
    let Some(test) = parts.next() else {
        return out;
    };
    match test.as_rule() {
        Rule::is_set => out.push_str(" is set"),
        Rule::is_not_set => out.push_str(" is not set"),
        Rule::comparison => {
            let mut parts = test.into_inner();
            let op = parts.next().expect("grammar: an operator");
            let value = parts.next().expect("grammar: a literal");
            out.push_str(&format!(" {} {}", op.as_str(), literal(&value)));
        }
        _ => {
            let values: Vec<String> = test
                .into_inner()
                .filter(|p| p.as_rule() != Rule::kw_in)
                .map(|p| literal(&p))
                .collect();
            out.push_str(&format!(" in [{}]", values.join(", ")));
        }
    }
    out
}

fn literal(pair: &Pair<'_, Rule>) -> String {
    match pair.as_rule() {
        Rule::string => string(pair.as_str(), 0),
        _ => pair.as_str().to_string(),
    }
}

/// A string token in canonical form: plain strings re-escaped, `"""` blocks re-indented.
fn string(token: &str, indent: usize) -> String {
    let Ok(value) = parse_string(token) else {
        return token.to_string();
    };
    if !token.starts_with("\"\"\"") {
        return quote(&value);
    }
    match reindent_block(token, indent) {
        Some(block) if parse_string(&block).as_deref() == Ok(value.as_str()) => block,
        _ => token.to_string(),
    }
}

/// A multi-line `"""` block with its lines and closing quotes one level deeper than the
/// property. `None` for a block on one line, which stays as written.
fn reindent_block(token: &str, indent: usize) -> Option<String> {
    let body = &token[3..token.len() - 3];
    if !body.contains('\n') {
        return None;
    }
    let lines = block_lines(body);
    let inner = INDENT.repeat(indent + 1);
    let mut out = String::from("\"\"\"\n");
    for line in lines {
        if !line.is_empty() {
            out.push_str(&inner);
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(&inner);
    out.push_str("\"\"\"");
    Some(out)
}
