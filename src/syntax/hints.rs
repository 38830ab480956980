//! Syntax errors that deserve their own words: a block left open, a missing `:`, single
//! quotes, a name that is not ASCII snake_case.

use super::error::human_keyword;
use super::scan::{Blocks, TOP_LEVEL};
use super::Rule;
use crate::diag::{closest, Diagnostic};
use crate::source::{FileId, Loc, Span};

/// What the parser saw when it failed.
pub struct Failure<'a> {
    pub file: FileId,
    pub text: &'a str,
    pub pos: usize,
    /// The token-like text at `pos` (empty at the end of the file).
    pub found: &'a str,
    pub positives: &'a [Rule],
}

impl Failure<'_> {
    fn loc(&self, start: usize, end: usize) -> Loc {
        Loc::new(self.file, Span::new(start, end))
    }
}

/// Properties written `key: value`.
const COLON_KEYWORDS: [&str; 23] = [
    "owner",
    "probability",
    "forecast",
    "objective",
    "description",
    "expected",
    "stale_after",
    "tools",
    "requires",
    "exit",
    "guidance",
    "next",
    "from",
    "outcome",
    "model",
    "segments",
    "salesforce",
    "hubspot",
    "pipedrive",
    "kind",
    "link",
    "threshold",
    "renamed_from",
];

pub fn specific(f: &Failure<'_>, blocks: &mut Blocks<'_>) -> Option<Diagnostic> {
    single_quotes(f)
        .or_else(|| unclosed(f, blocks))
        .or_else(|| missing_colon(f))
        .or_else(|| bad_name(f))
}

fn single_quotes(f: &Failure<'_>) -> Option<Diagnostic> {
    let rest = f.text[f.pos..].strip_prefix('\'')?;
    let line = rest.split('\n').next().unwrap_or("");
    let inner = &line[..line.find('\'')?];
    let end = f.pos + 1 + inner.len() + 1;
    Some(
        Diagnostic::new(
            crate::rule::Rule::Syntax,
            f.loc(f.pos, end),
            format!(
                "text is written in double quotes, found `'{}'`",
                short(inner)
            ),
        )
        .label("single quotes")
        .help(format!(
            "use double quotes: `\"{}\"`",
            short(&inner.replace('"', "\\\""))
        )),
    )
}

fn unclosed(f: &Failure<'_>, blocks: &mut Blocks<'_>) -> Option<Diagnostic> {
    let open = blocks.open_at(f.pos).last()?.clone();
    let at_line_start = f.text[..f.pos]
        .rsplit('\n')
        .next()
        .is_some_and(|before| before.trim().is_empty());
    let left_open = if f.found.is_empty() {
        true
    } else if f.found == "stage" {
        !open.name.starts_with("process ")
    } else {
        TOP_LEVEL.contains(&f.found) && at_line_start
    };
    if !left_open {
        return None;
    }
    let name = &open.name;
    let label = if f.found.is_empty() {
        "the file ends here".to_string()
    } else {
        "`}` expected before this".to_string()
    };
    Some(
        Diagnostic::new(
            crate::rule::Rule::Syntax,
            f.loc(f.pos, f.pos + f.found.len()),
            format!("`{name}` is not closed: `}}` expected"),
        )
        .label(label)
        .related(
            f.loc(open.brace, open.brace + 1),
            format!("`{name}` opens here"),
        )
        .help(format!("add `}}` where `{name}` ends")),
    )
}

fn missing_colon(f: &Failure<'_>) -> Option<Diagnostic> {
    let keyword = f.found;
    // The parser was reading properties, and this one stopped right after its keyword.
    let expected_here = f
        .positives
        .iter()
        .any(|r| human_keyword(*r).is_some_and(|k| COLON_KEYWORDS.contains(&k)));
    if !COLON_KEYWORDS.contains(&keyword) || !expected_here {
        return None;
    }
    let after = &f.text[f.pos + keyword.len()..];
    let value = after.trim_start_matches([' ', '\t']);
    if value.starts_with(':') {
        return None;
    }
    let next_word: String = value
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '%' | '.' | '"'))
        .take(40)
        .collect();
    let example = if next_word.is_empty() {
        format!("{keyword}: ...")
    } else {
        format!("{keyword}: {next_word}")
    };
    Some(
        Diagnostic::new(
            crate::rule::Rule::Syntax,
            f.loc(f.pos, f.pos + keyword.len()),
            format!("expected `:` after `{keyword}`"),
        )
        .label("`:` missing after this")
        .help(format!("write `{example}`")),
    )
}

/// A word with capitals or letters outside ASCII where a name was being read.
fn bad_name(f: &Failure<'_>) -> Option<Diagnostic> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let start = f.text[..f.pos]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(f.pos, |(i, _)| i);
    let end = f.text[f.pos..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(f.text.len(), |(i, _)| f.pos + i);
    let word = &f.text[start..end];
    let wrong = word
        .chars()
        .any(|c| !c.is_ascii() || c.is_ascii_uppercase());
    let reading_a_name = start < f.pos || f.positives.contains(&Rule::ident);
    if !wrong || !reading_a_name || !word.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let keywords = f.positives.iter().filter_map(|r| human_keyword(*r));
    if start == f.pos && closest(word, keywords).is_some() {
        return None;
    }
    let help = match snake_case(word) {
        Some(name) => format!("write `{name}`"),
        None => "use lowercase ASCII letters, digits and `_` only".to_string(),
    };
    Some(
        Diagnostic::new(
            crate::rule::Rule::Syntax,
            f.loc(start, end),
            format!(
                "`{}` is not a valid name: names are ASCII snake_case (`a`-`z`, `0`-`9` and `_`, starting with a letter)",
                short(word)
            ),
        )
        .label("not a valid name")
        .help(help),
    )
}

/// The snake_case ASCII spelling of a word, if it has one: `Démo` gives `demo`,
/// `NeedsAssessment` gives `needs_assessment`.
pub fn snake_case(word: &str) -> Option<String> {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in word.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        let lower: String = c.to_lowercase().collect();
        for l in lower.chars() {
            match l {
                'a'..='z' | '0'..='9' | '_' => out.push(l),
                _ => out.push_str(ascii_letters(l).unwrap_or("_")),
            }
        }
    }
    let mut name = String::new();
    for part in out.split('_').filter(|p| !p.is_empty()) {
        if !name.is_empty() {
            name.push('_');
        }
        name.push_str(part);
    }
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && !super::RESERVED.contains(&name.as_str());
    valid.then_some(name)
}

/// The plain letters of a Latin letter with a mark.
fn ascii_letters(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' | 'ĺ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    })
}

fn short(text: &str) -> String {
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(40).collect();
        format!("{cut}…")
    } else {
        text.escape_debug().to_string()
    }
}
