//! What differs between warehouses: quoting, the float type and the seconds between two
//! timestamps. Everything else the views use is common SQL.

/// The SQL engine the views are written for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    #[default]
    Duckdb,
    Postgres,
    Snowflake,
    Bigquery,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "DuckDB",
            Dialect::Postgres => "PostgreSQL",
            Dialect::Snowflake => "Snowflake",
            Dialect::Bigquery => "BigQuery",
        }
    }

    /// A quoted identifier: the text is kept as written, whatever characters it holds.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Bigquery => format!("`{}`", escape_backslashed(name, '`')),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal.
    pub fn string(self, text: &str) -> String {
        match self {
            // Backslash starts an escape in BigQuery and Snowflake string literals.
            Dialect::Bigquery => format!("'{}'", escape_backslashed(text, '\'')),
            Dialect::Snowflake => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''")),
            Dialect::Duckdb | Dialect::Postgres => format!("'{}'", text.replace('\'', "''")),
        }
    }

    pub fn float(self) -> &'static str {
        match self {
            Dialect::Duckdb | Dialect::Snowflake => "DOUBLE",
            Dialect::Postgres => "DOUBLE PRECISION",
            Dialect::Bigquery => "FLOAT64",
        }
    }

    pub fn integer(self) -> &'static str {
        match self {
            Dialect::Bigquery => "INT64",
            _ => "BIGINT",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Dialect::Bigquery => "STRING",
            _ => "VARCHAR",
        }
    }

    /// Whole seconds from `a` to `b`, as an exact number.
    pub fn seconds_between(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Duckdb => format!("date_diff('second', {a}, {b})"),
            Dialect::Postgres => format!("EXTRACT(EPOCH FROM ({b}) - ({a}))"),
            Dialect::Snowflake => format!("DATEDIFF('second', {a}, {b})"),
            Dialect::Bigquery => format!("TIMESTAMP_DIFF({b}, {a}, SECOND)"),
        }
    }

    /// The number a text holds, null when it holds none (a percent sign aside): the audit's
    /// plain decimals, without failing the query on other text.
    pub fn text_number(self, text: &str) -> String {
        let f = self.float();
        match self {
            Dialect::Duckdb | Dialect::Snowflake => format!("TRY_CAST({text} AS {f})"),
            Dialect::Bigquery => format!("SAFE_CAST({text} AS {f})"),
            Dialect::Postgres => format!(
                "CASE WHEN {text} ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' THEN CAST({text} AS {f}) END"
            ),
        }
    }

    /// The text when it starts with a calendar date (`2023-02-07`, then a time or not), else
    /// null. PostgreSQL, which has no cast that cannot fail, checks the form only.
    pub fn text_date(self, text: &str) -> String {
        let day = format!("SUBSTR({text}, 1, 10)");
        let valid = match self {
            Dialect::Duckdb | Dialect::Snowflake => format!("TRY_CAST({day} AS DATE) IS NOT NULL"),
            Dialect::Bigquery => format!("SAFE_CAST({day} AS DATE) IS NOT NULL"),
            Dialect::Postgres => format!("{day} ~ '^[0-9]{{4}}-[01][0-9]-[0-3][0-9]$'"),
        };
        format!("CASE WHEN {valid} THEN {text} END")
    }

    /// A number as a literal of the float type, read back to the same value.
    pub fn number(self, value: f64) -> String {
        format!("CAST({value:?} AS {})", self.float())
    }
}

/// BigQuery-style escaping: backslash, the quote and control characters get a backslash.
fn escape_backslashed(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}
