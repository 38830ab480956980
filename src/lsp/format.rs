//! Formatting: the `salespath fmt` layout, as one edit of the whole document.

use super::position::LineIndex;
use super::World;
use lsp_types::{DocumentFormattingParams, TextEdit};

/// A document that does not parse is left as it is (its diagnostics say why).
pub fn format(
    world: &World<'_>,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, String> {
    let Some(doc) = world.docs.get(&params.text_document.uri) else {
        return Ok(None);
    };
    let Ok(formatted) = crate::fmt::format_source(&doc.text) else {
        return Ok(None);
    };
    if formatted == doc.text {
        return Ok(Some(Vec::new()));
    }
    let lines = LineIndex::new(&doc.text);
    let whole = lines.range(0, doc.text.len());
    Ok(Some(vec![TextEdit::new(whole, formatted)]))
}
