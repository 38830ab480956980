//! Completion in context: the properties a block may still take, declared names where a
//! property wants them, choice values after `==` and `in`, keywords, and new-stage snippets.

use super::analysis::Analysis;
use super::context::{self, Block};
use super::index::Kind;
use super::position::LineIndex;
use super::World;
use crate::source::FileId;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, InsertTextFormat,
};

const TOP_LEVEL: [&str; 8] = [
    "import", "role", "field", "tool", "segment", "criteria", "scoring", "process",
];
const PROCESS: [&str; 5] = ["model", "owner", "description", "segments", "renamed_from"];
const STAGE: [&str; 17] = [
    "owner",
    "probability",
    "forecast",
    "objective",
    "description",
    "expected",
    "stale_after",
    "tools",
    "requires",
    "exit",
    "guidance",
    "next",
    "from",
    "outcome",
    "activities",
    "follow_up",
    "renamed_from",
];
const STAGE_REPEATABLE: [&str; 4] = ["follow_up", "when entered", "when exited", "when stale"];
const FIELD: [&str; 5] = [
    "description",
    "salesforce",
    "hubspot",
    "pipedrive",
    "renamed_from",
];
const TOOL: [&str; 3] = ["kind", "link", "description"];
const SEGMENT: [&str; 2] = ["description", "when"];
const CONDITION_WORDS: [&str; 6] = ["and", "or", "not", "is set", "is not set", "in"];

const STAGE_SNIPPET: &str = "stage ${1:name} {\n  owner: ${2}\n  probability: ${3:50}%\n  \
objective: \"${4}\"\n  requires: ${5}\n  exit: ${6}\n  next: ${7}\n}";
const PROCESS_SNIPPET: &str = "process ${1:name} \"${2:Label}\" {\n  stage ${3:first} {\n    \
probability: ${4:10}%\n  }\n  stage won { outcome: won }\n  stage lost { outcome: lost  from: any }\n}";

pub fn complete(
    world: &World<'_>,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>, String> {
    let at = params.text_document_position;
    let Some(doc) = world.docs.get(&at.text_document.uri) else {
        return Ok(None);
    };
    let text = doc.text.as_str();
    let offset = LineIndex::new(text).offset(at.position);
    let before = &text[..offset];
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let blocks = context::blocks(text, offset);
    let names = Names {
        analysis: world.analysis,
        file: world.analysis.and_then(|a| a.file(&at.text_document.uri)),
    };
    let items = items(&names, text, line, &blocks);
    Ok(Some(CompletionResponse::Array(items)))
}

/// What the latest analysis knows is declared, seen from the document.
struct Names<'a> {
    analysis: Option<&'a Analysis>,
    file: Option<FileId>,
}

impl Names<'_> {
    fn declared(&self, kind: Kind) -> Vec<String> {
        let (Some(analysis), Some(file)) = (self.analysis, self.file) else {
            return Vec::new();
        };
        let mut names: Vec<String> = analysis
            .seen_from(file)
            .into_iter()
            .flat_map(|index| &index.occurrences)
            .filter(|o| o.def && o.kind == kind)
            .map(|o| o.name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn stages(&self, process: &str) -> Vec<String> {
        let (Some(analysis), Some(file)) = (self.analysis, self.file) else {
            return Vec::new();
        };
        analysis.stages_of(file, process)
    }

    fn choices(&self, field: &str) -> Vec<String> {
        let (Some(analysis), Some(file)) = (self.analysis, self.file) else {
            return Vec::new();
        };
        analysis
            .seen_from(file)
            .into_iter()
            .find_map(|index| index.choices.get(field).cloned())
            .unwrap_or_default()
    }
}

fn items(names: &Names<'_>, text: &str, line: &str, blocks: &[Block]) -> Vec<CompletionItem> {
    let inner = blocks.last();
    let keyword = inner.map_or("", |b| b.keyword.as_str());
    if let Some(values) = choice_values(names, line) {
        return values;
    }
    if let Some(property) = context::property(line) {
        let process = blocks.iter().find(|b| b.keyword == "process");
        return property_values(names, property, keyword, process, line);
    }
    let head = line.trim_end_matches(context::is_word);
    if !head.trim().is_empty() {
        return Vec::new();
    }
    let present = |key: &str| {
        inner.is_some_and(|b| {
            let body = &text[b.start..context::block_end(text, b.start)];
            body.lines().any(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
        })
    };
    let properties = |keys: &[&str]| -> Vec<CompletionItem> {
        keys.iter()
            .filter(|k| !present(k))
            .map(|k| property_item(k))
            .collect()
    };
    match keyword {
        "" => {
            let mut items: Vec<CompletionItem> =
                TOP_LEVEL.iter().map(|k| keyword_item(k)).collect();
            items.push(snippet("process", "a new process", PROCESS_SNIPPET));
            items
        }
        "process" => {
            let mut items = properties(&PROCESS);
            items.push(snippet("stage", "a new stage", STAGE_SNIPPET));
            items.push(keyword_item("remove stage"));
            items
        }
        "stage" => {
            let mut items = properties(&STAGE[..STAGE.len() - 2]);
            if !present("activities") {
                items.push(snippet(
                    "activities",
                    "the steps reps take",
                    "activities {\n  \"$1\"\n}",
                ));
            }
            items.extend(STAGE_REPEATABLE.iter().map(|k| match *k {
                "follow_up" => snippet(k, "a follow-up item", "follow_up \"$1\" after ${2:2d}"),
                other => property_item(other),
            }));
            items
        }
        "field" => properties(&FIELD),
        "tool" => properties(&TOOL),
        "segment" => properties(&SEGMENT),
        "scoring" => {
            let mut items = properties(&["threshold"]);
            items.push(snippet(
                "when",
                "points when a condition holds",
                "+${1:10} when $2",
            ));
            items
        }
        _ => Vec::new(),
    }
}

/// Values of a choice field after `field ==`, `!=` or `in [`.
fn choice_values(names: &Names<'_>, line: &str) -> Option<Vec<CompletionItem>> {
    let (at, op_len) = ["==", "!=", " in ["]
        .iter()
        .filter_map(|op| line.rfind(op).map(|i| (i, op.len())))
        .max()?;
    let field: String = line[..at]
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| context::is_word(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after = &line[at + op_len..];
    if after.contains(']') || after.contains(" and ") || after.contains(" or ") {
        return None;
    }
    let quote_open = after.matches('"').count() % 2 == 1;
    let values = names.choices(&field);
    if values.is_empty() {
        return None;
    }
    Some(
        values
            .into_iter()
            .map(|v| {
                let quoted = format!("\"{v}\"");
                CompletionItem {
                    insert_text: Some(if quote_open {
                        format!("{v}\"")
                    } else {
                        quoted.clone()
                    }),
                    filter_text: Some(if quote_open {
                        v.clone()
                    } else {
                        quoted.clone()
                    }),
                    label: quoted,
                    kind: Some(CompletionItemKind::ENUM_MEMBER),
                    detail: Some(format!("a value of `{field}`")),
                    ..Default::default()
                }
            })
            .collect(),
    )
}

fn property_values(
    names: &Names<'_>,
    property: &str,
    block: &str,
    process: Option<&Block>,
    line: &str,
) -> Vec<CompletionItem> {
    let of = |kind: Kind| names.declared(kind);
    let values: Vec<(String, CompletionItemKind)> = match (block, property) {
        ("stage", "owner") => tag(of(Kind::Role), CompletionItemKind::INTERFACE),
        ("stage", "entered" | "exited" | "stale") => {
            let wants_role =
                line.trim_end().ends_with(" for") || line.trim_end().ends_with("notify");
            if wants_role {
                tag(of(Kind::Role), CompletionItemKind::INTERFACE)
            } else {
                tag(
                    words(&["task", "email", "notify"]),
                    CompletionItemKind::KEYWORD,
                )
            }
        }
        ("stage", "tools") => tag(of(Kind::Tool), CompletionItemKind::VALUE),
        ("stage", "requires") => tag(of(Kind::Field), CompletionItemKind::FIELD),
        ("stage", "next" | "from") => {
            let mut stages = process.map(|p| names.stages(&p.name)).unwrap_or_default();
            if property == "from" {
                stages.insert(0, "any".into());
            }
            tag(stages, CompletionItemKind::CLASS)
        }
        ("stage", "forecast") => tag(
            crate::model::Forecast::ALL
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
            CompletionItemKind::ENUM_MEMBER,
        ),
        ("stage", "outcome") => tag(words(&["won", "lost"]), CompletionItemKind::ENUM_MEMBER),
        ("process", "model") => tag(
            words(&["transactional", "consultative", "enterprise"]),
            CompletionItemKind::ENUM_MEMBER,
        ),
        ("process", "segments") => tag(of(Kind::Segment), CompletionItemKind::ENUM),
        ("stage", "exit") | ("segment", "when") | ("criteria", _) => {
            let mut values = tag(of(Kind::Field), CompletionItemKind::FIELD);
            values.extend(tag(of(Kind::Criteria), CompletionItemKind::STRUCT));
            values.extend(tag(words(&CONDITION_WORDS), CompletionItemKind::KEYWORD));
            values
        }
        _ => Vec::new(),
    };
    values
        .into_iter()
        .map(|(label, kind)| CompletionItem {
            label,
            kind: Some(kind),
            ..Default::default()
        })
        .collect()
}

fn words(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

fn tag(names: Vec<String>, kind: CompletionItemKind) -> Vec<(String, CompletionItemKind)> {
    names.into_iter().map(|n| (n, kind)).collect()
}

fn property_item(key: &str) -> CompletionItem {
    CompletionItem {
        label: format!("{key}:"),
        kind: Some(CompletionItemKind::PROPERTY),
        insert_text: Some(format!("{key}: ")),
        filter_text: Some(key.to_string()),
        ..Default::default()
    }
}

fn keyword_item(word: &str) -> CompletionItem {
    CompletionItem {
        label: word.to_string(),
        kind: Some(CompletionItemKind::KEYWORD),
        insert_text: Some(format!("{word} ")),
        ..Default::default()
    }
}

fn snippet(label: &str, detail: &str, body: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(CompletionItemKind::SNIPPET),
        detail: Some(detail.to_string()),
        insert_text: Some(body.to_string()),
        insert_text_format: Some(InsertTextFormat::SNIPPET),
        ..Default::default()
    }
}
