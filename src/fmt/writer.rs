//! The output side of the formatter: lines at an indent, blank-line policy, and comments put
//! back where they were (own-line comments before what follows them, trailing comments at the
//! end of the line they followed).

use super::comments::Comment;

pub const INDENT: &str = "  ";

/// Whether a blank line goes before an element (and the own-line comments just above it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blank {
    /// One blank line when the source had at least one.
    Keep,
    /// Always one blank line (between stages and between kinds of declaration).
    Force,
}

struct Line {
    text: String,
    has_comment: bool,
}

pub struct Writer<'s> {
    src: &'s str,
    comments: Vec<Comment>,
    /// Index of the first comment not yet written.
    next_comment: usize,
    lines: Vec<Line>,
    pub indent: usize,
    /// Source offset where the last written token or comment ends.
    last_end: usize,
    /// The last line ends with `{`: no blank line may follow it.
    after_open: bool,
}

impl<'s> Writer<'s> {
    pub fn new(src: &'s str, comments: Vec<Comment>) -> Self {
        Writer {
            src,
            comments,
            next_comment: 0,
            lines: Vec::new(),
            indent: 0,
            last_end: 0,
            after_open: false,
        }
    }

    /// Starts a line for the element at source offset `start`, after the comments before it.
    pub fn begin(&mut self, start: usize, blank: Blank) {
        let mut first = true;
        while let Some(comment) = self.pending_before(start) {
            if comment.trailing && self.append_trailing(&comment) {
                continue;
            }
            self.blank_line(if first { blank } else { Blank::Keep }, comment.start);
            self.push_line(&comment.text, true);
            self.last_end = comment.end;
            first = false;
        }
        self.blank_line(if first { blank } else { Blank::Keep }, start);
        self.push_line("", false);
        self.last_end = start;
    }

    /// Appends text to the current line.
    pub fn text(&mut self, text: &str) {
        if let Some(line) = self.lines.last_mut() {
            line.text.push_str(text);
        }
        self.after_open = false;
    }

    /// The width of the current line, in characters.
    pub fn width(&self) -> usize {
        self.lines.last().map_or(0, |l| l.text.chars().count())
    }

    /// Records that the source up to `end` has been written. A rule that ends in an optional
    /// part can span the whitespace and comments after it; those do not count.
    pub fn consumed(&mut self, end: usize) {
        let mut end = end;
        loop {
            end = self.src[..end].trim_end().len();
            match self.comments.iter().find(|c| c.start < end && end <= c.end) {
                Some(comment) => end = comment.start,
                None => break,
            }
        }
        self.last_end = end;
    }

    /// Ends the current line with ` {` (the brace at source offset `brace`) and indents.
    pub fn open(&mut self, brace: usize) {
        self.text(" {");
        self.after_open = true;
        self.last_end = brace + 1;
        self.indent += 1;
    }

    /// Writes the comments left before the `}` at `brace`, then the `}` line.
    pub fn close(&mut self, brace: usize) {
        while let Some(comment) = self.pending_before(brace) {
            if comment.trailing && self.append_trailing(&comment) {
                continue;
            }
            self.blank_line(Blank::Keep, comment.start);
            self.push_line(&comment.text, true);
            self.last_end = comment.end;
        }
        self.indent -= 1;
        self.push_line("}", false);
        self.last_end = brace + 1;
    }

    /// Whether any comment lies between the two offsets (a block with one must be expanded).
    pub fn has_comment_in(&self, start: usize, end: usize) -> bool {
        self.comments[self.next_comment..]
            .iter()
            .any(|c| c.start >= start && c.start < end)
    }

    /// The offset of the first `ch` at or after `from` that is code, not inside a comment.
    pub fn find_code(&self, from: usize, ch: char) -> usize {
        let mut at = from;
        loop {
            let Some(found) = self.src[at..].find(ch).map(|i| at + i) else {
                return from;
            };
            match self
                .comments
                .iter()
                .find(|c| c.start <= found && found < c.end)
            {
                Some(comment) => at = comment.end,
                None => return found,
            }
        }
    }

    /// Writes the comments left at the end of the file and returns the text.
    pub fn finish(mut self) -> String {
        self.begin(self.src.len(), Blank::Keep);
        self.lines.pop();
        while self.lines.last().is_some_and(|l| l.text.is_empty()) {
            self.lines.pop();
        }
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(&line.text);
            out.push('\n');
        }
        out
    }

    fn pending_before(&mut self, offset: usize) -> Option<Comment> {
        let comment = self.comments.get(self.next_comment)?;
        if comment.start >= offset {
            return None;
        }
        self.next_comment += 1;
        Some(comment.clone())
    }

    /// Puts a trailing comment at the end of the last line, unless that line has one already.
    fn append_trailing(&mut self, comment: &Comment) -> bool {
        let Some(line) = self.lines.last_mut() else {
            return false;
        };
        if line.has_comment || line.text.trim().is_empty() {
            return false;
        }
        line.text.push_str("  ");
        line.text.push_str(&comment.text);
        line.has_comment = true;
        self.last_end = comment.end;
        true
    }

    fn blank_line(&mut self, policy: Blank, next_start: usize) {
        let had_blank = self.src[self.last_end.min(next_start)..next_start]
            .matches('\n')
            .count()
            >= 2;
        let wanted = match policy {
            Blank::Force => true,
            Blank::Keep => had_blank,
        };
        let at_top = self.lines.is_empty() || self.after_open;
        let already = self.lines.last().is_some_and(|l| l.text.is_empty());
        if wanted && !at_top && !already {
            self.lines.push(Line {
                text: String::new(),
                has_comment: false,
            });
        }
    }

    fn push_line(&mut self, text: &str, has_comment: bool) {
        let mut line = INDENT.repeat(self.indent);
        line.push_str(text);
        self.lines.push(Line {
            text: line,
            has_comment,
        });
        self.after_open = false;
    }
}
