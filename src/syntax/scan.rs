//! A rough token scan that survives any input, for what a failed parse cannot tell: which
//! block is still open at an error, and where parsing may resume after it.

/// Declarations that start at the top level of a file.
pub const TOP_LEVEL: [&str; 8] = [
    "import", "role", "field", "tool", "segment", "criteria", "scoring", "process",
];

/// Keywords that open a block with a name after them.
const NAMED_BLOCKS: [&str; 7] = [
    "process", "stage", "field", "tool", "segment", "criteria", "scoring",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Text,
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// The first token on its line.
    pub line_start: bool,
}

/// Every token of `text`; comments are skipped and each string is one token.
pub fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let kind = match b {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = find(bytes, i, b"\n").unwrap_or(bytes.len());
                continue;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i = find(bytes, i + 3, b"\"\"\"").map_or(bytes.len(), |e| e + 3);
                Kind::Text
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n') {
                    i += if bytes[i] == b'\\' && bytes.get(i + 1) != Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                }
                i = (i + usize::from(bytes.get(i) == Some(&b'"'))).min(bytes.len());
                Kind::Text
            }
            _ if is_word_byte(b) => {
                while i < bytes.len() && is_word_byte(bytes[i]) {
                    i += 1;
                }
                Kind::Word
            }
            _ => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Kind::Punct
            }
        };
        out.push(Token {
            kind,
            start,
            end: i,
            line_start,
        });
        line_start = false;
    }
    out
}

/// Letters (any script), digits and `_`: what a user would see as one word.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// A block opened by `{` and not closed yet: what it is called and where its brace is.
#[derive(Clone, Debug)]
pub struct Open {
    pub name: String,
    pub brace: usize,
}

/// Blocks open at each point, walked forward through the tokens once.
pub struct Blocks<'t> {
    text: &'t str,
    tokens: &'t [Token],
    next: usize,
    open: Vec<Open>,
}

impl<'t> Blocks<'t> {
    pub fn new(text: &'t str, tokens: &'t [Token]) -> Self {
        Blocks {
            text,
            tokens,
            next: 0,
            open: Vec::new(),
        }
    }

    /// The blocks open just before `pos` (which never goes backwards between calls).
    pub fn open_at(&mut self, pos: usize) -> &[Open] {
        while let Some(token) = self.tokens.get(self.next).filter(|t| t.start < pos) {
            match &self.text[token.start..token.end] {
                "{" => {
                    let name = block_name(self.text, &self.tokens[..self.next]);
                    self.open.push(Open {
                        name,
                        brace: token.start,
                    });
                }
                "}" => {
                    self.open.pop();
                }
                _ => {}
            }
            self.next += 1;
        }
        &self.open
    }

    /// After resuming at the top level (`inside_process` false) or among a process's items,
    /// the blocks the parser now assumes open.
    pub fn resume(&mut self, pos: usize, inside_process: bool) {
        self.open_at(pos);
        let process = self
            .open
            .iter()
            .rev()
            .find(|o| o.name.starts_with("process "))
            .cloned();
        self.open.clear();
        if inside_process {
            self.open.extend(process);
        }
    }
}

/// What the tokens before a `{` call the block: `stage demo`, `activities`, or `this block`.
fn block_name(text: &str, before: &[Token]) -> String {
    let word = |t: &Token| &text[t.start..t.end];
    for (i, token) in before.iter().enumerate().rev().take(8) {
        let w = word(token);
        if w == "activities" && i + 1 == before.len() {
            return w.to_string();
        }
        if NAMED_BLOCKS.contains(&w) {
            if let Some(name) = before.get(i + 1).filter(|t| t.kind == Kind::Word) {
                return format!("{w} {}", word(name));
            }
        }
        if matches!(w, "{" | "}") {
            break;
        }
    }
    "this block".to_string()
}

/// Where parsing may resume after an error at `error`: the error's own token when it starts a
/// declaration or a stage, else the first such word that begins a later line. Always after
/// `after`, so every retry moves forward.
pub fn resume_point(text: &str, tokens: &[Token], error: usize, after: usize) -> Option<Resume> {
    let error_line_end = text[error..].find('\n').map_or(text.len(), |i| error + i);
    let first = tokens.partition_point(|t| t.start < error.max(after + 1));
    tokens[first..]
        .iter()
        .filter(|t| t.kind == Kind::Word)
        .filter(|t| t.start == error || (t.line_start && t.start > error_line_end))
        .find_map(|t| {
            let w = &text[t.start..t.end];
            if w == "stage" {
                Some(Resume::Stage(t.start))
            } else if TOP_LEVEL.contains(&w) {
                Some(Resume::TopLevel(t.start))
            } else {
                None
            }
        })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume {
    /// A declaration at this offset.
    TopLevel(usize),
    /// A stage at this offset, among the items of a process.
    Stage(usize),
}
