//! `salespath.yaml`: per-rule severities and build defaults, found in the current folder or
//! a parent.

use crate::diag::{did_you_mean, Diagnostic, Severity};
use crate::rule::{Phase, Rule};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "salespath.yaml";

pub use crate::rule::Level;

/// Why `salespath.yaml` cannot be used.
#[derive(Debug)]
pub enum ConfigError {
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Not YAML, or not the settings the file may hold; `reason` says which and where.
    Invalid { path: PathBuf, reason: String },
    /// The folder to start looking from cannot be known.
    CurrentDir(std::io::Error),
    /// The org's stage list named by `salesforce.stage_value_set` cannot be read or is not one.
    StageValueSet { path: PathBuf, reason: String },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Read { path, error } => {
                write!(f, "cannot read `{}`: {error}", path.display())
            }
            ConfigError::Invalid { path, reason } => write!(f, "in `{}`: {reason}", path.display()),
            ConfigError::CurrentDir(error) => write!(f, "cannot read the current folder: {error}"),
            ConfigError::StageValueSet { path, reason } => write!(
                f,
                "the org's stage list `{}` (salesforce.stage_value_set in salespath.yaml) {reason}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    pub emit: Option<Vec<String>>,
    pub out: Option<PathBuf>,
}

/// Settings of the Salesforce output.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalesforceConfig {
    /// The org's `OpportunityStage.standardValueSet-meta.xml` as retrieved, relative to
    /// `salespath.yaml`: the build keeps its stages instead of deactivating them.
    pub stage_value_set: Option<PathBuf>,
    /// That file's stages, read when the configuration is loaded.
    #[serde(skip)]
    pub org_stages: Option<crate::crm::OrgStages>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    #[serde(default)]
    pub build: BuildConfig,
    /// Deal data for `salespath audit` (DEALS.md section 3).
    #[serde(default)]
    pub data: crate::audit::DataConfig,
    #[serde(default)]
    pub salesforce: SalesforceConfig,
    /// The file this came from, if any.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl Config {
    /// Finds and reads `salespath.yaml` in `start` or the nearest parent that has one.
    pub fn discover(start: &Path) -> Result<Config, ConfigError> {
        let mut dir = Some(start);
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
            dir = d.parent();
        }
        Ok(Config::default())
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.to_path_buf(),
            error,
        })?;
        let mut config = Config::parse(&text).map_err(|reason| ConfigError::Invalid {
            path: path.to_path_buf(),
            reason,
        })?;
        if let Some(file) = &config.salesforce.stage_value_set {
            let folder = path.parent().unwrap_or(Path::new(""));
            let full = folder.join(file);
            let mut org = crate::crm::OrgStages::read(&full)
                .map_err(|reason| ConfigError::StageValueSet { path: full, reason })?;
            // Shown as written, so messages are the same wherever the project is.
            org.path = file.clone();
            config.salesforce.org_stages = Some(org);
        }
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config = serde_yaml::from_str(text).map_err(|e| {
            let e = e.to_string();
            if e.contains("unknown variant") {
                format!(
                    "{e}; a rule's severity is `error`, `warning` or `off` (also `info` for audit rules)"
                )
            } else {
                e
            }
        })?;
        for (name, level) in &config.rules {
            let Some(rule) = Rule::from_name(name) else {
                let help = did_you_mean(name, Rule::names(), || {
                    "run `salespath explain` to list every rule".to_string()
                });
                return Err(format!("`{name}` is not a rule: {help}"));
            };
            if *level == Level::Info && rule.phase() != Phase::Audit {
                return Err(format!(
                    "`{name}` is a checker rule: its severity is `error`, `warning` or `off`"
                ));
            }
        }
        Ok(config)
    }

    /// The severity of `rule` here, or `None` when it is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        match self.rules.get(rule.name()) {
            Some(level) => level.severity(),
            None => rule.default_severity(),
        }
    }

    /// Gives each diagnostic its configured severity and drops those that are off.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                d.severity = self.severity(d.rule)?;
                Some(d)
            })
            .collect()
    }
}
