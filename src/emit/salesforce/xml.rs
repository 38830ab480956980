//! A tiny XML writer for Salesforce metadata files: one element per line, four-space indents,
//! the metadata namespace on the root, and every piece of text escaped.

const NAMESPACE: &str = "http://soap.sforce.com/2006/04/metadata";

/// Builds one document. Elements are written in call order, so callers follow the XSD's order.
pub struct Xml {
    out: String,
    open: Vec<&'static str>,
}

impl Xml {
    /// Starts a document whose root element is `root`, in the metadata namespace.
    pub fn document(root: &'static str) -> Self {
        let mut xml = Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            open: Vec::new(),
        };
        xml.out
            .push_str(&format!("<{root} xmlns=\"{NAMESPACE}\">\n"));
        xml.open.push(root);
        xml
    }

    /// Opens a child element; `close` ends it.
    pub fn open(&mut self, name: &'static str) -> &mut Self {
        self.indent();
        self.out.push_str(&format!("<{name}>\n"));
        self.open.push(name);
        self
    }

    pub fn close(&mut self) -> &mut Self {
        let name = self.open.pop().expect("an open element");
        self.indent();
        self.out.push_str(&format!("</{name}>\n"));
        self
    }

    /// An element holding only text.
    pub fn text(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.indent();
        self.out
            .push_str(&format!("<{name}>{}</{name}>\n", escape(value)));
        self
    }

    pub fn flag(&mut self, name: &'static str, value: bool) -> &mut Self {
        self.text(name, if value { "true" } else { "false" })
    }

    /// A comment for people reading the file. `--` cannot appear in one, so it is spaced out.
    pub fn comment(&mut self, text: &str) -> &mut Self {
        self.indent();
        let safe: String = text
            .chars()
            .map(|c| if is_forbidden(c) { '\u{FFFD}' } else { c })
            .collect();
        let mut safe = safe.replace("--", "- -");
        while safe.contains("--") {
            safe = safe.replace("--", "- -");
        }
        self.out.push_str(&format!("<!-- {safe} -->\n"));
        self
    }

    /// Closes the root and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        while !self.open.is_empty() {
            self.close();
        }
        self.out.into_bytes()
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("    ");
        }
    }
}

/// Text as XML character data. XML 1.0 cannot carry most control characters at all, even as
/// references, so they become U+FFFD; a carriage return is kept as a reference, since a parser
/// would otherwise turn it into a line feed.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if is_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn is_forbidden(c: char) -> bool {
    (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("a & <b> \"c\" 'd'"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(escape("x\u{1}y\rz\tw\n"), "x\u{FFFD}y&#13;z\tw\n");
    }

    #[test]
    fn writes_nested_elements_in_order() {
        let mut xml = Xml::document("Package");
        xml.open("types")
            .text("members", "A")
            .text("name", "B")
            .close();
        xml.text("version", "66.0");
        let text = String::from_utf8(xml.finish()).unwrap();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <Package xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    \
             <types>\n        <members>A</members>\n        <name>B</name>\n    </types>\n    \
             <version>66.0</version>\n</Package>\n"
        );
    }
}
