//! Numbers, percentages, counts and strings as people and `.sales` files write them; every
//! output uses these, so `12.5%` and "1 stage" read the same everywhere.

/// A number without a needless `.0`: `25000`, `12.5`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A `.sales` string literal for `text`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A percentage: `60%`, `12.5%`.
pub fn percent(p: f64) -> String {
    format!("{}%", format_number(p))
}

/// A number of days, rounded to hundredths: "1 day", "21 days", "1.5 days".
pub fn days(days: f64) -> String {
    let days = (days * 100.0).round() / 100.0;
    if days == 1.0 {
        "1 day".into()
    } else {
        format!("{} days", format_number(days))
    }
}

/// A count with its noun: "1 stage", "3 stages" (nouns whose plural takes an `s`).
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A word with its indefinite article: "a consultative", "an enterprise" (by its first letter,
/// which suits the words the outputs use).
pub fn indefinite(word: &str) -> String {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// `25000` as `25,000`; `-1234.5` as `-1,234.5`.
pub fn group_thousands(n: f64) -> String {
    let text = format_number(n);
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    if whole.len() <= 3 || whole.contains('e') {
        return text;
    }
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_percentages_and_counts() {
        assert_eq!(format_number(25000.0), "25000");
        assert_eq!(percent(12.5), "12.5%");
        assert_eq!(plural(1, "stage"), "1 stage");
        assert_eq!(plural(0, "stage"), "0 stages");
        assert_eq!(quote("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
        assert_eq!(indefinite("enterprise"), "an enterprise");
        assert_eq!(indefinite("consultative"), "a consultative");
    }
}
