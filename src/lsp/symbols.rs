//! Outlines: a document's processes with their stages and its other declarations, and every
//! declaration of the workspace by name.

use super::index::{Kind, Occurrence};
use super::nav::location;
use super::position::LineIndex;
use super::World;
use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolInformation, SymbolKind,
    WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Process => SymbolKind::MODULE,
        Kind::Stage => SymbolKind::CLASS,
        Kind::Field => SymbolKind::FIELD,
        Kind::Role => SymbolKind::INTERFACE,
        Kind::Tool => SymbolKind::OBJECT,
        Kind::Segment => SymbolKind::ENUM,
        Kind::Criteria | Kind::Scoring => SymbolKind::STRUCT,
        Kind::Criterion | Kind::Value => SymbolKind::PROPERTY,
    }
}

#[allow(deprecated)] // `deprecated` is a field every symbol must still carry
pub fn document(
    world: &World<'_>,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, String> {
    let Some(analysis) = world.analysis else {
        return Ok(None);
    };
    let Some(file) = analysis.file(&params.text_document.uri) else {
        return Ok(None);
    };
    let lines = LineIndex::new(analysis.text(file));
    let symbol = |o: &Occurrence, children: Option<Vec<DocumentSymbol>>| {
        let range = lines.range(o.loc.span.start, o.loc.span.end);
        DocumentSymbol {
            name: o.name.clone(),
            detail: Some(o.kind.noun().to_string()),
            kind: symbol_kind(o.kind),
            tags: None,
            deprecated: None,
            range,
            selection_range: range,
            children,
        }
    };
    let defs: Vec<&Occurrence> = analysis.indexes[file.0]
        .occurrences
        .iter()
        .filter(|o| o.def && !matches!(o.kind, Kind::Criterion))
        .collect();
    let symbols = defs
        .iter()
        .filter(|o| o.kind != Kind::Stage)
        .map(|o| {
            let children = (o.kind == Kind::Process).then(|| {
                defs.iter()
                    .filter(|s| s.kind == Kind::Stage && s.scope.as_deref() == Some(&o.name))
                    .map(|s| symbol(s, None))
                    .collect()
            });
            symbol(o, children)
        })
        .collect();
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}

#[allow(deprecated)] // `deprecated` is a field every symbol must still carry
pub fn workspace(
    world: &World<'_>,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>, String> {
    let Some(analysis) = world.analysis else {
        return Ok(None);
    };
    let query = params.query.to_lowercase();
    let mut found = Vec::new();
    for index in &analysis.indexes {
        let defs = index
            .occurrences
            .iter()
            .filter(|o| o.def && o.kind != Kind::Criterion && o.name.contains(&query));
        for o in defs {
            let Some(location) = location(analysis, o.loc) else {
                continue;
            };
            found.push(SymbolInformation {
                name: o.name.clone(),
                kind: symbol_kind(o.kind),
                tags: None,
                deprecated: None,
                location,
                container_name: o.scope.clone(),
            });
        }
    }
    Ok(Some(WorkspaceSymbolResponse::Flat(found)))
}
