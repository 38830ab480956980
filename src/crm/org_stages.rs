//! The opportunity stage list of a Salesforce org, as retrieved
//! (`sf project retrieve start --metadata StandardValueSet:OpportunityStage`), so the build
//! keeps the org's stages instead of deactivating every one the process does not name.

use std::path::{Path, PathBuf};

/// Forecast categories a stage value may have in Salesforce.
const FORECAST_CATEGORIES: [&str; 6] = [
    "Omitted",
    "Pipeline",
    "BestCase",
    "MostLikely",
    "Forecast",
    "Closed",
];

/// The retrieved `OpportunityStage.standardValueSet-meta.xml`.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgStages {
    /// The file, as `salespath.yaml` names it (relative to its folder).
    pub path: PathBuf,
    pub values: Vec<OrgStage>,
}

/// One stage value of the org, with what a deploy of the value set would otherwise reset.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgStage {
    pub full_name: String,
    pub label: Option<String>,
    pub color: Option<String>,
    pub description: Option<String>,
    pub default: bool,
    pub active: bool,
    pub closed: bool,
    pub won: bool,
    pub forecast: Option<String>,
    pub probability: Option<i64>,
    /// The line of its `<standardValue>` in the file.
    pub line: u32,
}

impl OrgStages {
    /// Reads and checks the file; the error says what is wrong, to follow its path.
    pub fn read(path: &Path) -> Result<OrgStages, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot be read: {e}"))?;
        OrgStages::parse(&text, path)
            .map_err(|why| format!("is not a retrieved OpportunityStage value set: {why}"))
    }

    pub fn parse(text: &str, path: &Path) -> Result<OrgStages, String> {
        let doc = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
        let root = doc.root_element();
        if root.tag_name().name() != "StandardValueSet" {
            return Err(format!(
                "its root element is `{}`, not `StandardValueSet`",
                root.tag_name().name()
            ));
        }
        let mut values: Vec<OrgStage> = Vec::new();
        for value in root
            .children()
            .filter(|n| n.is_element() && n.tag_name().name() == "standardValue")
        {
            let line = doc.text_pos_at(value.range().start).row;
            let child = |name: &str| {
                value
                    .children()
                    .find(|n| n.is_element() && n.tag_name().name() == name)
                    .map(|n| n.text().unwrap_or("").trim().to_string())
            };
            let flag = |name: &str, default: bool| -> Result<bool, String> {
                match child(name).as_deref() {
                    None => Ok(default),
                    Some("true") => Ok(true),
                    Some("false") => Ok(false),
                    Some(other) => Err(format!(
                        "line {line}: `<{name}>` is `{other}`, not true or false"
                    )),
                }
            };
            let full_name = child("fullName")
                .filter(|n| !n.is_empty())
                .ok_or_else(|| format!("line {line}: a standardValue has no fullName"))?;
            if values.iter().any(|v| v.full_name == full_name) {
                return Err(format!("line {line}: `{full_name}` is listed twice"));
            }
            let probability = match child("probability") {
                None => None,
                Some(p) => Some(
                    p.parse::<i64>()
                        .ok()
                        .filter(|p| (0..=100).contains(p))
                        .ok_or_else(|| {
                            format!("line {line}: probability `{p}` is not a whole percent")
                        })?,
                ),
            };
            let forecast = child("forecastCategory");
            if let Some(f) = &forecast {
                if !FORECAST_CATEGORIES.contains(&f.as_str()) {
                    return Err(format!("line {line}: `{f}` is not a forecast category"));
                }
            }
            values.push(OrgStage {
                label: child("label"),
                color: child("color"),
                description: child("description"),
                default: flag("default", false)?,
                active: flag("isActive", true)?,
                closed: flag("closed", false)?,
                won: flag("won", false)?,
                forecast,
                probability,
                line,
                full_name,
            });
        }
        if values.is_empty() {
            return Err("it lists no standardValue".into());
        }
        Ok(OrgStages {
            path: path.to_path_buf(),
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<StandardValueSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <sorted>false</sorted>
    <standardValue>
        <fullName>Prospecting</fullName>
        <default>false</default>
        <label>Prospecting</label>
        <closed>false</closed>
        <forecastCategory>Pipeline</forecastCategory>
        <probability>10</probability>
        <won>false</won>
    </standardValue>
    <standardValue>
        <fullName>Old &amp; Gone</fullName>
        <default>false</default>
        <isActive>false</isActive>
        <label>Old &amp; Gone</label>
        <closed>true</closed>
        <won>false</won>
    </standardValue>
</StandardValueSet>
"#;

    #[test]
    fn reads_values_flags_and_lines() {
        let stages = OrgStages::parse(FILE, Path::new("x.xml")).unwrap();
        assert_eq!(stages.values.len(), 2);
        let first = &stages.values[0];
        assert_eq!(first.full_name, "Prospecting");
        assert_eq!(first.probability, Some(10));
        assert_eq!(first.forecast.as_deref(), Some("Pipeline"));
        assert!(first.active && !first.closed);
        assert_eq!(first.line, 4);
        let gone = &stages.values[1];
        assert_eq!(gone.full_name, "Old & Gone");
        assert!(!gone.active && gone.closed && gone.probability.is_none());
    }

    #[test]
    fn refuses_what_is_not_a_stage_list() {
        for (text, why) in [
            ("<Package/>", "root element is `Package`"),
            ("<StandardValueSet>", "never closed"),
            ("<StandardValueSet></StandardValueSet>", "no standardValue"),
            (
                "<StandardValueSet><standardValue><fullName>A</fullName><probability>ten</probability></standardValue></StandardValueSet>",
                "probability `ten`",
            ),
            (
                "<StandardValueSet><standardValue><label>A</label></standardValue></StandardValueSet>",
                "no fullName",
            ),
        ] {
            let error = OrgStages::parse(text, Path::new("x.xml")).unwrap_err();
            assert!(error.contains(why), "{text}: {error}");
        }
    }
}
