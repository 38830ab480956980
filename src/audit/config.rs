//! The `data:` section of `salespath.yaml` (DEALS.md section 3).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    pub preset: Option<Preset>,
    pub history: Option<PathBuf>,
    pub deals: Option<PathBuf>,
    /// Column names by key, for both files; `history_columns` and `deals_columns` win.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    #[serde(default)]
    pub history_columns: BTreeMap<String, String>,
    #[serde(default)]
    pub deals_columns: BTreeMap<String, String>,
    /// CRM stage names that match no stage id or label.
    #[serde(default)]
    pub stages: BTreeMap<String, String>,
    /// Keep only rows whose column has this value.
    #[serde(default)]
    pub filter: BTreeMap<String, String>,
    pub encoding: Option<Encoding>,
    pub target: Option<f64>,
    /// A time zone name (`Europe/Berlin`) for times written without an offset.
    pub timezone: Option<String>,
    /// A strftime pattern (`%d/%m/%Y`) for dates in another form.
    pub date_format: Option<String>,
}

/// Column names of a CRM's export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    #[default]
    Generic,
    Salesforce,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum Encoding {
    #[default]
    #[serde(rename = "utf-8", alias = "utf8", alias = "UTF-8")]
    Utf8,
    #[serde(
        rename = "latin1",
        alias = "latin-1",
        alias = "iso-8859-1",
        alias = "ISO-8859-1"
    )]
    Latin1,
    #[serde(rename = "windows-1252", alias = "cp1252")]
    Windows1252,
}
