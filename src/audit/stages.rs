//! Matching the stage names of the data to the process's stages (DEALS.md section 3): by
//! `data.stages`, then the stage's id, then its label (Salesforce's stage value), trimmed and
//! case-insensitive. Each distinct spelling is looked up once.

use crate::model::Process;
use std::collections::{BTreeMap, HashMap};

pub struct StageMatcher {
    names: HashMap<String, u16>,
    /// Every spelling seen so far, as written, with its match.
    seen: HashMap<Box<str>, Option<u16>>,
}

impl StageMatcher {
    /// Fails when `data.stages` maps a name to a stage the process does not have.
    pub fn new(process: &Process, configured: &BTreeMap<String, String>) -> Result<Self, String> {
        let mut names = HashMap::new();
        // Later inserts lose: configured names first, then ids, then labels.
        for (name, target) in configured {
            let Some(i) = process.find_stage(target.trim()) else {
                let help = crate::diag::did_you_mean(
                    target,
                    process.stages.iter().map(|s| s.id.as_str()),
                    || "it must name a stage id of the process".into(),
                );
                return Err(format!(
                    "`data.stages` maps `{name}` to `{target}`, which is not a stage of `{}`: {help}",
                    process.id
                ));
            };
            names.entry(key(name)).or_insert(i.0 as u16);
        }
        for (i, stage) in process.stages.iter().enumerate() {
            names.entry(key(&stage.id)).or_insert(i as u16);
        }
        for (i, stage) in process.stages.iter().enumerate() {
            names.entry(key(&stage.label)).or_insert(i as u16);
        }
        Ok(StageMatcher {
            names,
            seen: HashMap::new(),
        })
    }

    /// The stage a name in the data means, if any.
    pub fn find(&mut self, name: &str) -> Option<u16> {
        if let Some(found) = self.seen.get(name) {
            return *found;
        }
        let found = self.names.get(&key(name)).copied();
        // Bounded: a column of noise must not grow memory with the rows.
        if self.seen.len() < 4096 {
            self.seen.insert(name.into(), found);
        }
        found
    }
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}
