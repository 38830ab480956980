//! The process map rendered by Graphviz's `dot` (`<process>.svg`, `.png`, `.pdf`), run
//! through graphviz-rust on the text of the `dot` backend.

use super::{dot, fonts, EmitError, Emitted};
use crate::model::{Model, ProcessId};
use graphviz_rust::cmd::{CommandArg, Format};
use std::io;

pub fn svg(model: &Model, process: ProcessId) -> Result<Emitted, EmitError> {
    render(model, process, Format::Svg, "svg")
}

/// A picture with its fonts drawn into it: the build notes labels no installed font draws.
pub fn png(model: &Model, process: ProcessId) -> Result<Emitted, EmitError> {
    let mut emitted = render(model, process, Format::Png, "png")?;
    emitted.notes = missing_fonts(model, process, &emitted);
    Ok(emitted)
}

/// Like [`png`]; the PDF's creation date is fixed so builds are reproducible.
pub fn pdf(model: &Model, process: ProcessId) -> Result<Emitted, EmitError> {
    let mut emitted = render(model, process, Format::Pdf, "pdf")?;
    for (_, bytes) in &mut emitted.files {
        fix_creation_date(bytes);
    }
    emitted.notes = missing_fonts(model, process, &emitted);
    Ok(emitted)
}

/// The map's words: the process's name, and each stage's name and owner.
fn missing_fonts(model: &Model, process: ProcessId, emitted: &Emitted) -> Vec<String> {
    let p = model.process(process);
    let mut labels: Vec<&str> = vec![p.label.as_str()];
    for stage in &p.stages {
        labels.push(&stage.label);
        labels.extend(stage.owner.map(|r| model.role(r).label.as_str()));
    }
    let file = emitted.files.first().map_or("", |(name, _)| name.as_str());
    fonts::missing(file, &labels)
}

fn render(
    model: &Model,
    process: ProcessId,
    format: Format,
    extension: &str,
) -> Result<Emitted, EmitError> {
    let bytes = draw(model, process, format)?;
    let id = &model.process(process).id;
    Ok(Emitted::file(format!("{id}.{extension}"), bytes))
}

/// The process map drawn by `dot` in `format`.
fn draw(model: &Model, process: ProcessId, format: Format) -> Result<Vec<u8>, EmitError> {
    let text = dot::process_map(model, process);
    graphviz_rust::exec_dot(text, vec![CommandArg::Format(format)]).map_err(graphviz_error)
}

/// graphviz-rust reports a missing `dot` as a bare "No such file or directory"; say which
/// program is missing. Any other failure carries what `dot` printed.
fn graphviz_error(error: io::Error) -> EmitError {
    if error.kind() == io::ErrorKind::NotFound {
        EmitError::Graphviz("the `dot` program was not found".into())
    } else {
        EmitError::Tool(format!("`dot` failed: {}", error.to_string().trim()))
    }
}

/// Cairo stamps every PDF with the time it was made, so two builds would differ. The stamp is
/// overwritten in place with 1970-01-01 (same length, so the PDF's byte offsets stay valid).
fn fix_creation_date(pdf: &mut [u8]) {
    const KEY: &[u8] = b"/CreationDate (D:";
    const EPOCH: &[u8] = b"19700101000000";
    let Some(start) = pdf.windows(KEY.len()).position(|w| w == KEY) else {
        return;
    };
    let mut digits = EPOCH.iter().chain(std::iter::repeat(&b'0'));
    for byte in pdf[start + KEY.len()..].iter_mut() {
        match byte {
            b')' => break,
            b'0'..=b'9' => *byte = *digits.next().unwrap_or(&b'0'),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fix_creation_date;

    #[test]
    fn creation_date_becomes_the_epoch_in_place() {
        let mut pdf = b"<< /CreationDate (D:20261125170218Z) >> 42".to_vec();
        fix_creation_date(&mut pdf);
        assert_eq!(pdf, b"<< /CreationDate (D:19700101000000Z) >> 42".to_vec());
    }
}
