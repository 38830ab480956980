//! Salesforce API names: at most 40 characters of ASCII letters, digits and underscores,
//! starting with a letter, with no double underscore and no underscore at the end. Long names
//! are cut at a word boundary where possible, and a name already taken gets `_2`, `_3`, ...

use std::collections::BTreeSet;

/// The longest API name Salesforce accepts (record types, rules, paths, custom fields
/// without their `__c`).
pub const MAX_NAME: usize = 40;

/// `text` as an API name of at most `max` characters, or `fallback`'s when nothing of `text`
/// is usable (a label in Japanese, say).
pub fn api_name(text: &str, fallback: &str, max: usize) -> String {
    let name = sanitize(text);
    let name = if name.is_empty() {
        sanitize(fallback)
    } else {
        name
    };
    let name = if name.is_empty() { "X".into() } else { name };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("X_{name}")
    } else {
        name
    };
    shorten(&name, max)
}

/// ASCII letters and digits kept, every other run of characters becomes one underscore.
fn sanitize(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// A valid name cut to `max` characters: at the last word boundary when that keeps at least
/// half of the room, otherwise mid-word.
pub fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let cut = &name[..max];
    let cut = match cut.rfind('_') {
        Some(at) if at >= max / 2 => &cut[..at],
        _ => cut,
    };
    cut.trim_end_matches('_').to_string()
}

/// Joins name parts with underscores within `max` characters. The last part (such as
/// `Exit`) is kept whole; the others share the rest, the first giving way to the second.
pub fn compose(parts: &[&str], max: usize) -> String {
    let joined = parts.join("_");
    if joined.len() <= max || parts.len() < 2 {
        return shorten(&joined, max);
    }
    let (last, rest) = parts.split_last().expect("two parts or more");
    let mut room = max.saturating_sub(last.len() + 1);
    let mut kept: Vec<String> = Vec::new();
    for (i, part) in rest.iter().enumerate() {
        let later: usize = rest[i + 1..].iter().map(|p| p.len() + 1).sum();
        // Each part keeps at least a fair share of the room, more when later parts are short.
        let fair = room / (rest.len() - i);
        let budget = room.saturating_sub(later).max(fair).min(room);
        let piece = shorten(part, budget);
        room = room.saturating_sub(piece.len() + 1);
        if !piece.is_empty() {
            kept.push(piece);
        }
    }
    kept.push(last.to_string());
    shorten(&kept.join("_"), max)
}

/// Hands out API names unique within one namespace (Salesforce compares them ignoring case).
#[derive(Default)]
pub struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// `name` itself if free, else `name` shortened to make room for `_2`, `_3`, ...
    pub fn claim(&mut self, name: &str) -> String {
        self.claim_within(name, MAX_NAME)
    }

    /// `compose(parts)` if free, else with `_2`, `_3`, ... after the last part, so a kind
    /// such as `Exit` stays readable.
    pub fn claim_parts(&mut self, parts: &[&str]) -> String {
        let (last, rest) = parts.split_last().expect("one part or more");
        let mut candidate = compose(parts, MAX_NAME);
        let mut n = 2;
        while !self.taken.insert(candidate.to_ascii_lowercase()) {
            let numbered = format!("{last}_{n}");
            let mut numbered_parts = rest.to_vec();
            numbered_parts.push(&numbered);
            let next = compose(&numbered_parts, MAX_NAME);
            if next.eq_ignore_ascii_case(&candidate) {
                // A last part too long to keep whole loses its number when cut.
                return self.claim_within(&next, MAX_NAME);
            }
            candidate = next;
            n += 1;
        }
        candidate
    }

    pub fn claim_within(&mut self, name: &str, max: usize) -> String {
        let mut candidate = shorten(name, max);
        let mut n = 2;
        while !self.taken.insert(candidate.to_ascii_lowercase()) {
            let suffix = format!("_{n}");
            candidate = format!("{}{suffix}", shorten(name, max - suffix.len()));
            n += 1;
        }
        candidate
    }
}

/// A label that is safe as a file name on every system (no `/ \\ : * ? " < > |`, no dots or
/// control characters), at most `max` characters, or `fallback` when nothing is left.
pub fn file_safe_label(label: &str, fallback: &str, max: usize) -> String {
    let kept: String = label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " -_()&,".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = kept.split_whitespace().collect();
    let text = if words.is_empty() {
        fallback.to_string()
    } else {
        words.join(" ")
    };
    text.chars()
        .take(max)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// Hands out labels unique within one namespace, ignoring case: `Sales`, `Sales 2`, ...
#[derive(Default)]
pub struct Labels {
    taken: BTreeSet<String>,
}

impl Labels {
    pub fn claim(&mut self, label: &str, max: usize) -> String {
        let mut candidate = label.to_string();
        let mut n = 2;
        while !self.taken.insert(candidate.to_lowercase()) {
            let suffix = format!(" {n}");
            let room = max.saturating_sub(suffix.len());
            let kept: String = label.chars().take(room).collect();
            candidate = format!("{}{suffix}", kept.trim_end());
            n += 1;
        }
        candidate
    }
}

/// A label cut to `max` characters, ending in an ellipsis when it was cut.
pub fn limit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// Text cut to `max` characters for a reader: whole when it fits, else at the last space
/// (never inside a word) with an ellipsis.
pub fn fit_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = match text.chars().nth(max.saturating_sub(1)) {
        Some(c) if c.is_whitespace() => kept.as_str(),
        _ => kept
            .rsplit_once(char::is_whitespace)
            .map_or("", |(head, _)| head),
    };
    let trimmed = at_word.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c));
    format!("{trimmed}…")
}

/// True when `name` follows Salesforce's rules for API names.
pub fn is_valid(name: &str) -> bool {
    name.len() <= MAX_NAME
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.contains("__")
        && !name.ends_with('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_valid_names_from_labels() {
        assert_eq!(
            api_name("Enterprise New Business", "x", 40),
            "Enterprise_New_Business"
        );
        assert_eq!(api_name("=SUM(A1:A2)", "x", 40), "SUM_A1_A2");
        assert_eq!(api_name("Won 🚀 | 受注", "x", 40), "Won");
        assert_eq!(api_name("受注", "closed_won", 40), "closed_won");
        assert_eq!(api_name("2nd call", "x", 40), "X_2nd_call");
        assert_eq!(api_name("a__b_", "x", 40), "a_b");
    }

    #[test]
    fn cuts_long_names_at_word_boundaries() {
        let long = "Very long process label that goes on and on";
        let name = api_name(long, "x", 40);
        assert_eq!(name, "Very_long_process_label_that_goes_on");
        assert!(is_valid(&name));
    }

    #[test]
    fn composes_within_the_limit() {
        let name = compose(&["Enterprise_New_Business", "Needs_Assessment", "Exit"], 40);
        assert!(name.len() <= 40 && is_valid(&name), "{name}");
        assert!(name.ends_with("_Exit"));
        assert!(name.contains("Needs_Assessment"), "{name}");
        assert_eq!(compose(&["Sales", "Demo", "Exit"], 40), "Sales_Demo_Exit");
    }

    #[test]
    fn claims_unique_names_ignoring_case() {
        let mut names = Names::default();
        assert_eq!(names.claim("Sales"), "Sales");
        assert_eq!(names.claim("SALES"), "SALES_2");
        let long = "A".repeat(40);
        assert_eq!(names.claim(&long), long);
        let second = names.claim(&long);
        assert_eq!(second.len(), 40);
        assert!(second.ends_with("_2"));
        assert_eq!(
            names.claim_parts(&["Sales", "Demo", "Exit"]),
            "Sales_Demo_Exit"
        );
        assert_eq!(
            names.claim_parts(&["Sales", "Demo", "Exit"]),
            "Sales_Demo_Exit_2"
        );
        let long = "Required_".repeat(6);
        let first = names.claim_parts(&["Sales", &long]);
        let second = names.claim_parts(&["Sales", &long]);
        assert_ne!(first, second);
    }

    #[test]
    fn makes_labels_safe_for_file_names() {
        assert_eq!(
            file_safe_label("Hostile <process> & \"friends\"", "x", 80),
            "Hostile process & friends"
        );
        assert_eq!(file_safe_label("🚀", "Fallback", 80), "Fallback");
        let mut labels = Labels::default();
        assert_eq!(labels.claim("Sales", 80), "Sales");
        assert_eq!(labels.claim("sales", 80), "sales 2");
    }

    #[test]
    fn fits_text_at_word_boundaries() {
        assert_eq!(fit_words("one two three", 20), "one two three");
        assert_eq!(fit_words("one two three", 10), "one two…");
        assert_eq!(fit_words("one two, three", 9), "one two…");
        assert_eq!(fit_words("abcdefghij", 5), "…");
    }

    #[test]
    fn limits_text_with_an_ellipsis() {
        assert_eq!(limit("abcdef", 4), "abc…");
        assert_eq!(limit("abc", 4), "abc");
    }
}
