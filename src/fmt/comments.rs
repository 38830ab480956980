//! Finding comments in source text, outside strings, with their byte offsets.

/// One `#` comment: its text (without the line break) and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Code comes before it on its line, so it belongs at the end of that line.
    pub trailing: bool,
}

/// Every comment in `src`, in order. Strings are skipped the way the grammar reads them: a
/// `"""` block runs to the next `"""`, a plain string to the next unescaped `"`.
pub fn scan(src: &str) -> Vec<Comment> {
    let bytes = src.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if src[i..].starts_with("\"\"\"") => {
                i = src[i + 3..]
                    .find("\"\"\"")
                    .map_or(bytes.len(), |end| i + 3 + end + 3);
            }
            b'"' => i = plain_string_end(bytes, i),
            b'#' => {
                let end = src[i..].find('\n').map_or(bytes.len(), |n| i + n);
                let line_start = src[..i].rfind('\n').map_or(0, |n| n + 1);
                comments.push(Comment {
                    start: i,
                    end,
                    text: src[i..end].trim_end().to_string(),
                    trailing: !src[line_start..i].trim().is_empty(),
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    comments
}

fn plain_string_end(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' | b'\n' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_hashes_in_strings_and_marks_trailing_comments() {
        let src = "# own\nrole a \"#1 \\\" #x\" # after\nfield t: text { description: \"\"\"\n # not\n\"\"\" }";
        let found: Vec<(String, bool)> = scan(src)
            .into_iter()
            .map(|c| (c.text, c.trailing))
            .collect();
        assert_eq!(
            found,
            vec![("# own".to_string(), false), ("# after".to_string(), true)]
        );
    }
}
