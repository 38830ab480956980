//! Where the cursor is in a document's text, for completion: the blocks around it and the
//! property it is in. Read from the text itself, so it works while the file does not parse.

/// A block the cursor is inside: its keyword and name (`stage discovery {`).
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub keyword: String,
    pub name: String,
    /// Where its text starts, after the `{`.
    pub start: usize,
}

/// The blocks that enclose `offset`, outermost first.
pub fn blocks(text: &str, offset: usize) -> Vec<Block> {
    let bytes = text.as_bytes();
    let end = offset.min(text.len());
    let mut stack: Vec<Block> = Vec::new();
    let (mut i, mut line_start) = (0, 0);
    while i < end {
        match bytes[i] {
            b'\n' => line_start = i + 1,
            b'#' => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'{' => {
                let mut words = text[line_start..i].split(|c: char| !is_word(c));
                let mut words = words.by_ref().filter(|w| !w.is_empty());
                let keyword = words.next().unwrap_or_default().to_string();
                let name = words.next().unwrap_or_default().to_string();
                stack.push(Block {
                    keyword,
                    name,
                    start: i + 1,
                });
            }
            b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack
}

/// The end of the block that starts at `start`: its closing brace, or the end of the text.
pub fn block_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut i, mut depth) = (start, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'{' => depth += 1,
            b'}' if depth == 0 => return i,
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Past the string that opens at `i` (`"..."` or `"""..."""`), or to the end of its line
/// when it is not closed there.
fn skip_string(bytes: &[u8], i: usize) -> usize {
    if bytes[i..].starts_with(b"\"\"\"") {
        let rest = &bytes[i + 3..];
        return match rest.windows(3).position(|w| w == b"\"\"\"") {
            Some(at) => i + 3 + at + 3,
            None => bytes.len(),
        };
    }
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            b'\n' => return j,
            _ => j += 1,
        }
    }
    bytes.len()
}

pub fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The property a line sets (`next` in `  next: won, `), when the cursor is after its colon.
pub fn property(line: &str) -> Option<&str> {
    let (key, _) = line.split_once(':')?;
    let key = key.trim();
    let key = key.strip_prefix("when ").map(str::trim).unwrap_or(key);
    (!key.is_empty() && key.chars().all(is_word)).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_blocks_around_the_cursor() {
        let text = "# { not a block\nprocess sales {\n  stage a \"x { y\" {\n    owner: ";
        let blocks = blocks(text, text.len());
        let names: Vec<(&str, &str)> = blocks
            .iter()
            .map(|b| (b.keyword.as_str(), b.name.as_str()))
            .collect();
        assert_eq!(names, [("process", "sales"), ("stage", "a")]);
    }

    #[test]
    fn reads_the_property_of_a_line() {
        assert_eq!(property("  next: won, "), Some("next"));
        assert_eq!(property("  when entered: notify "), Some("entered"));
        assert_eq!(property("  objective \"a: b\""), None);
    }
}
