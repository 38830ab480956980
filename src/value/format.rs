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

/// A count with its noun: "1 stage", "3 stages" (nouns whose plural takes an `s`).
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
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
    }
}
