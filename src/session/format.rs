//! `salespath fmt` over a session: each named file formatted on the session's threads, its
//! diagnostics in the session's source map.

use super::load::Loader;
use super::parallel;
use super::run::Root;
use crate::diag::Diagnostic;
use crate::source::{FileId, SourceMap};

pub struct Formatted {
    pub sources: SourceMap,
    /// One per named file, in the order named.
    pub files: Vec<FormattedFile>,
}

pub struct FormattedFile {
    pub file: FileId,
    /// The canonical text, or why the file cannot be formatted (it is left as it is).
    pub result: Result<String, Vec<Diagnostic>>,
}

impl FormattedFile {
    /// Whether formatting changes the file.
    pub fn changed(&self, sources: &SourceMap) -> bool {
        self.result
            .as_ref()
            .is_ok_and(|text| *text != *sources.get(self.file).text)
    }
}

pub fn format(loader: Loader, roots: &[Root]) -> Formatted {
    let files: Vec<FileId> = roots.iter().map(|r| r.file).collect();
    let results = parallel::map(&files, |&file| {
        // Only text that is not UTF-8 is stopped before parsing.
        if let Some(Err(not_utf8)) = &loader.entries[file.0].parsed {
            return Err(not_utf8.clone());
        }
        crate::fmt::format_file(file, &loader.sources.get(file).text)
    });
    let sources = loader.sources;
    Formatted {
        files: files
            .into_iter()
            .zip(results)
            .map(|(file, result)| FormattedFile { file, result })
            .collect(),
        sources,
    }
}
