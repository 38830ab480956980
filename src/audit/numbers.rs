//! Amounts, probabilities and field values as CRM exports write them.

/// A cell that is not in the form its column needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unparsed;

/// A plain decimal (`12000`, `-5.5`); empty is `Ok(None)`; anything else is an error.
pub fn decimal(text: &str) -> Result<Option<f64>, Unparsed> {
    if text.is_empty() {
        return Ok(None);
    }
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let plain = !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().filter(|&b| b == b'.').count() <= 1
        && body != ".";
    if !plain {
        return Err(Unparsed);
    }
    text.parse::<f64>().map(Some).map_err(|_| Unparsed)
}

/// A percentage with or without `%` (`30`, `30%`, `12.5 %`).
pub fn percent(text: &str) -> Result<Option<f64>, Unparsed> {
    decimal(text.strip_suffix('%').map_or(text, str::trim_end))
}

/// `true/false/1/0/yes/no`, any case; empty is `Ok(None)`.
pub fn boolean(text: &str) -> Result<Option<bool>, Unparsed> {
    if text.is_empty() {
        return Ok(None);
    }
    for (word, value) in [
        ("true", true),
        ("false", false),
        ("1", true),
        ("0", false),
        ("yes", true),
        ("no", false),
    ] {
        if text.eq_ignore_ascii_case(word) {
            return Ok(Some(value));
        }
    }
    Err(Unparsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_plain() {
        assert_eq!(decimal("12000"), Ok(Some(12000.0)));
        assert_eq!(decimal("-5.5"), Ok(Some(-5.5)));
        assert_eq!(decimal(""), Ok(None));
        for bad in ["12k", "1e5", "inf", "NaN", ".", "1.2.3", "-", "1,000"] {
            assert_eq!(decimal(bad), Err(Unparsed), "{bad}");
        }
    }

    #[test]
    fn percents_and_bools() {
        assert_eq!(percent("30%"), Ok(Some(30.0)));
        assert_eq!(percent("12.5 %"), Ok(Some(12.5)));
        assert_eq!(boolean("Yes"), Ok(Some(true)));
        assert_eq!(boolean("0"), Ok(Some(false)));
        assert_eq!(boolean("maybe"), Err(Unparsed));
    }
}
