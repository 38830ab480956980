//! Go to definition, find references and rename, for every name and import path.

use super::analysis::Analysis;
use super::position::LineIndex;
use super::World;
use crate::source::{Loc, Span};
use crate::syntax::RESERVED;
use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Location, PrepareRenameResponse, Range,
    ReferenceParams, RenameParams, TextDocumentPositionParams, TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;

pub fn definition(
    world: &World<'_>,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, String> {
    let at = params.text_document_position_params;
    let Some((analysis, file, offset)) = world.locate(&at.text_document.uri, at.position) else {
        return Ok(None);
    };
    if let Some(import) = analysis.indexes[file.0].import_at(offset) {
        let target = analysis.import_target(file, &import.written);
        let location = target.and_then(|t| location(analysis, Loc::new(t, Span::new(0, 0))));
        return Ok(location.map(GotoDefinitionResponse::Scalar));
    }
    let Some((_, _, def)) = analysis.resolve_at(file, offset) else {
        return Ok(None);
    };
    Ok(location(analysis, def).map(GotoDefinitionResponse::Scalar))
}

pub fn references(
    world: &World<'_>,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>, String> {
    let at = params.text_document_position;
    let Some((analysis, file, offset)) = world.locate(&at.text_document.uri, at.position) else {
        return Ok(None);
    };
    if let Some(import) = analysis.indexes[file.0].import_at(offset) {
        let Some(target) = analysis.import_target(file, &import.written) else {
            return Ok(None);
        };
        let found = analysis.importers(target);
        return Ok(Some(locations(analysis, &found)));
    }
    let Some((_, _, def)) = analysis.resolve_at(file, offset) else {
        return Ok(None);
    };
    let mut found = analysis.references(def);
    if !params.context.include_declaration {
        found.retain(|loc| *loc != def);
    }
    Ok(Some(locations(analysis, &found)))
}

pub fn prepare_rename(
    world: &World<'_>,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, String> {
    let Some((analysis, file, offset)) = world.locate(&params.text_document.uri, params.position)
    else {
        return Ok(None);
    };
    let Some((occurrence, _, _)) = analysis.resolve_at(file, offset) else {
        return Err("only a declared name can be renamed here".into());
    };
    let lines = LineIndex::new(analysis.text(file));
    let span = occurrence.loc.span;
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: lines.range(span.start, span.end),
        placeholder: occurrence.name.clone(),
    }))
}

pub fn rename(world: &World<'_>, params: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let at = params.text_document_position;
    let Some((analysis, file, offset)) = world.locate(&at.text_document.uri, at.position) else {
        return Ok(None);
    };
    let new_name = params.new_name;
    if let Some(problem) = bad_name(&new_name) {
        return Err(problem);
    }
    let Some((_, _, def)) = analysis.resolve_at(file, offset) else {
        return Err("only a declared name can be renamed here".into());
    };
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for place in locations(analysis, &analysis.references(def)) {
        changes
            .entry(place.uri)
            .or_default()
            .push(TextEdit::new(place.range, new_name.clone()));
    }
    Ok(Some(WorkspaceEdit::new(changes)))
}

/// Why `name` cannot name anything, if it cannot.
fn bad_name(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !well_formed {
        Some(format!(
            "`{name}` is not a name: use lowercase letters, digits and `_`, starting with a letter"
        ))
    } else if RESERVED.contains(&name) {
        Some(format!("`{name}` is a reserved word"))
    } else {
        None
    }
}

pub fn location(analysis: &Analysis, loc: Loc) -> Option<Location> {
    let url = analysis.url(loc.file)?.clone();
    let lines = LineIndex::new(analysis.text(loc.file));
    Some(Location::new(url, range(&lines, loc)))
}

fn range(lines: &LineIndex<'_>, loc: Loc) -> Range {
    lines.range(loc.span.start, loc.span.end)
}

/// Locations of many places, each file's lines indexed once.
fn locations(analysis: &Analysis, places: &[Loc]) -> Vec<Location> {
    let mut lines = HashMap::new();
    places
        .iter()
        .filter_map(|loc| {
            let url = analysis.url(loc.file)?.clone();
            let index = lines
                .entry(loc.file)
                .or_insert_with(|| LineIndex::new(analysis.text(loc.file)));
            Some(Location::new(url, range(index, *loc)))
        })
        .collect()
}
