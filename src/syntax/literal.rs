//! Literal tokens: strings (with escapes and `"""` blocks), numbers, durations.

use crate::value::Duration;

/// Unescapes a string token (with its quotes). The error is a byte offset into the token and
/// a message.
pub fn parse_string(token: &str) -> Result<String, (usize, String)> {
    if let Some(body) = token
        .strip_prefix("\"\"\"")
        .and_then(|t| t.strip_suffix("\"\"\""))
    {
        let text = unescape(body, 3)?;
        return Ok(unindent(&text));
    }
    let body = &token[1..token.len() - 1];
    unescape(body, 1)
}

fn unescape(body: &str, offset: usize) -> Result<String, (usize, String)> {
    if !body.contains('\\') {
        return Ok(body.to_string());
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, other)) => {
                return Err((
                    offset + i,
                    format!("`\\{other}` is not an escape this language knows"),
                ))
            }
            None => return Err((offset + i, "a string cannot end with `\\`".into())),
        }
    }
    Ok(out)
}

/// Removes the first line break, the last line of blanks and the common leading indentation
/// of a `"""` block.
pub fn unindent(text: &str) -> String {
    block_lines(text).join("\n")
}

/// The lines of a `"""` block's body: without its first line break and its last line of
/// blanks, with the common leading indentation removed (blank lines become empty).
pub fn block_lines(text: &str) -> Vec<&str> {
    let text = text
        .strip_prefix("\r\n")
        .or_else(|| text.strip_prefix('\n'))
        .unwrap_or(text);
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if lines.len() > 1 && lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines
        .into_iter()
        .map(|l| {
            if l.trim().is_empty() {
                ""
            } else {
                &l[indent..]
            }
        })
        .collect()
}

/// `25_000`, `12.5`, `-3`.
pub fn parse_number(token: &str) -> Option<f64> {
    let cleaned: String = token.chars().filter(|&c| c != '_').collect();
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `36h`, `5d`, `2w`.
pub fn parse_duration(token: &str) -> Option<Duration> {
    let (digits, unit) = token.split_at(token.len() - 1);
    let n: u64 = digits.parse().ok()?;
    let hours = match unit {
        "h" => Some(n),
        "d" => n.checked_mul(24),
        "w" => n.checked_mul(24 * 7),
        _ => None,
    }?;
    Some(Duration { hours })
}
