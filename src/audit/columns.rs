//! Which column holds what (DEALS.md sections 2 and 3): the preset's names, overridden by
//! `data.columns` and the per-file maps; field columns matched by id, label or CRM name.

use super::config::{DataConfig, Preset};
use crate::model::{FieldId, Model};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    History,
    Deals,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::History => "history",
            FileKind::Deals => "deals",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Deal,
    Stage,
    At,
    Amount,
    Probability,
    Created,
    Closed,
    StageChanged,
    Owner,
}

const HISTORY_KEYS: &[Key] = &[
    Key::Deal,
    Key::Stage,
    Key::At,
    Key::Amount,
    Key::Probability,
];
const DEALS_KEYS: &[Key] = &[
    Key::Deal,
    Key::Stage,
    Key::Created,
    Key::Closed,
    Key::StageChanged,
    Key::Amount,
    Key::Owner,
];

impl Key {
    pub fn name(self) -> &'static str {
        match self {
            Key::Deal => "deal",
            Key::Stage => "stage",
            Key::At => "at",
            Key::Amount => "amount",
            Key::Probability => "probability",
            Key::Created => "created",
            Key::Closed => "closed",
            Key::StageChanged => "stage_changed",
            Key::Owner => "owner",
        }
    }

    fn required(self, kind: FileKind) -> bool {
        match kind {
            FileKind::History => matches!(self, Key::Deal | Key::Stage | Key::At),
            FileKind::Deals => self == Key::Deal,
        }
    }

    fn preset_name(self, preset: Preset, kind: FileKind) -> &'static str {
        match (preset, kind, self) {
            (Preset::Generic, _, key) => key.name(),
            (Preset::Salesforce, FileKind::History, Key::Deal) => "OpportunityId",
            (Preset::Salesforce, FileKind::Deals, Key::Deal) => "Id",
            (Preset::Salesforce, _, Key::Stage) => "StageName",
            (Preset::Salesforce, _, Key::At | Key::Created) => "CreatedDate",
            (Preset::Salesforce, _, Key::Amount) => "Amount",
            (Preset::Salesforce, _, Key::Probability) => "Probability",
            (Preset::Salesforce, _, Key::Closed) => "CloseDate",
            (Preset::Salesforce, _, Key::StageChanged) => "LastStageChangeDate",
            (Preset::Salesforce, _, Key::Owner) => "OwnerId",
        }
    }
}

/// The columns of one file, by position.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    pub deal: usize,
    pub stage: Option<usize>,
    pub at: Option<usize>,
    pub amount: Option<usize>,
    pub probability: Option<usize>,
    pub created: Option<usize>,
    pub closed: Option<usize>,
    pub stage_changed: Option<usize>,
    pub owner: Option<usize>,
    /// Salesforce's `IsClosed`: `CloseDate` counts only where it is true.
    pub is_closed: Option<usize>,
    /// Declared fields held by a column, in declaration order.
    pub fields: Vec<(FieldId, usize)>,
    /// `data.filter` entries whose column this file has: (name, column, value).
    pub filters: Vec<(String, usize, String)>,
    /// The column of `--by COLUMN`, when it is neither a field nor `owner`/`segment`.
    pub by: Option<usize>,
}

/// What the columns are resolved against.
pub struct Mapping<'a> {
    pub data: &'a DataConfig,
    pub preset: Preset,
    pub model: &'a Model,
    pub by: Option<&'a str>,
}

impl Mapping<'_> {
    /// Fails (a usage error) on an unknown key in a column map.
    pub fn validate(&self) -> Result<(), String> {
        let maps = [
            ("columns", &self.data.columns),
            ("history_columns", &self.data.history_columns),
            ("deals_columns", &self.data.deals_columns),
        ];
        for (section, map) in maps {
            for key in map.keys() {
                let standard = HISTORY_KEYS
                    .iter()
                    .chain(DEALS_KEYS)
                    .any(|k| k.name() == key);
                let field = self.model.fields.iter().any(|f| &f.id == key);
                if !standard && !field {
                    let names = HISTORY_KEYS
                        .iter()
                        .chain(DEALS_KEYS)
                        .map(|k| k.name())
                        .chain(self.model.fields.iter().map(|f| f.id.as_str()));
                    let help = crate::diag::did_you_mean(key, names, || {
                        "keys are `deal`, `stage`, `at`, `amount`, `probability`, `created`, `closed`, `stage_changed`, `owner` or a field id".into()
                    });
                    return Err(format!(
                        "`data.{section}` has an unknown key `{key}`: {help}"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The columns of a file with these headers; a missing column that is required or that
    /// the mapping names is an error naming it.
    pub fn resolve(
        &self,
        kind: FileKind,
        file: &str,
        headers: &[String],
    ) -> Result<Columns, String> {
        let find = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        };
        let missing = |key: Key, name: &str, how: &str| {
            format!(
                "`{file}` has no column `{name}` ({how} for `{}`); its columns are: {}",
                key.name(),
                list(headers)
            )
        };
        let get = |key: Key| -> Result<Option<usize>, String> {
            if let Some(name) = explicit(self.data, kind, key.name()) {
                if name.trim().is_empty() && !key.required(kind) {
                    return Ok(None);
                }
                return find(name)
                    .map(Some)
                    .ok_or_else(|| missing(key, name, "named in `salespath.yaml`"));
            }
            let name = key.preset_name(self.preset, kind);
            match find(name) {
                Some(i) => Ok(Some(i)),
                None if key.required(kind) => Err(missing(key, name, "the column")),
                None => Ok(None),
            }
        };
        let mut columns = Columns {
            deal: get(Key::Deal)?.unwrap_or_default(),
            stage: get(Key::Stage)?,
            ..Columns::default()
        };
        match kind {
            FileKind::History => {
                columns.at = get(Key::At)?;
                columns.amount = get(Key::Amount)?;
                columns.probability = get(Key::Probability)?;
            }
            FileKind::Deals => {
                columns.created = get(Key::Created)?;
                columns.closed = get(Key::Closed)?;
                columns.stage_changed = get(Key::StageChanged)?;
                columns.amount = get(Key::Amount)?;
                columns.owner = get(Key::Owner)?;
                if self.preset == Preset::Salesforce {
                    columns.is_closed = find("IsClosed");
                }
                columns.fields = self.fields(file, headers)?;
                if let Some(by) = self.by {
                    let special = by == "owner" || by == "segment";
                    if !special && !self.model.fields.iter().any(|f| f.id == by) {
                        columns.by = find(by);
                    }
                }
            }
        }
        columns.filters = self
            .data
            .filter
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), find(name)?, value.clone())))
            .collect();
        Ok(columns)
    }

    fn fields(&self, file: &str, headers: &[String]) -> Result<Vec<(FieldId, usize)>, String> {
        let find = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        };
        let mut out = Vec::new();
        for (i, field) in self.model.fields.iter().enumerate() {
            if let Some(name) = explicit(self.data, FileKind::Deals, &field.id) {
                if name.trim().is_empty() {
                    continue;
                }
                let Some(col) = find(name) else {
                    return Err(format!(
                        "`{file}` has no column `{name}` (named in `salespath.yaml` for the field `{}`); its columns are: {}",
                        field.id,
                        list(headers)
                    ));
                };
                out.push((FieldId(i), col));
                continue;
            }
            let mut names = vec![field.id.clone(), field.label.clone()];
            if self.preset == Preset::Salesforce {
                names.push(crate::crm::field_name(crate::crm::Crm::Salesforce, field));
            }
            if let Some(col) = names.iter().find_map(|n| find(n)) {
                out.push((FieldId(i), col));
            }
        }
        Ok(out)
    }
}

/// The column `salespath.yaml` names for a key (a standard key or a field id) in one file:
/// the file's own map, then `columns`. An empty name says the data has no such column.
fn explicit<'a>(data: &'a DataConfig, kind: FileKind, key: &str) -> Option<&'a str> {
    let own = match kind {
        FileKind::History => &data.history_columns,
        FileKind::Deals => &data.deals_columns,
    };
    own.get(key)
        .or_else(|| data.columns.get(key))
        .map(String::as_str)
}

/// The column a standard key is read from where columns have exact names (a warehouse
/// table): the mapping, else the preset's name; `None` when the mapping says there is none.
pub fn column_name(data: &DataConfig, kind: FileKind, key: Key) -> Option<String> {
    match explicit(data, kind, key.name()) {
        Some(name) if name.trim().is_empty() => None,
        Some(name) => Some(name.to_string()),
        None => Some(
            key.preset_name(data.preset.unwrap_or_default(), kind)
                .to_string(),
        ),
    }
}

/// The column of a field where columns have exact names: the mapping, else its id (its
/// Salesforce name with that preset); `None` when the mapping says there is none.
pub fn field_column(data: &DataConfig, model: &Model, field: FieldId) -> Option<String> {
    let field = model.field(field);
    match explicit(data, FileKind::Deals, &field.id) {
        Some(name) if name.trim().is_empty() => None,
        Some(name) => Some(name.to_string()),
        None if data.preset == Some(Preset::Salesforce) => {
            Some(crate::crm::field_name(crate::crm::Crm::Salesforce, field))
        }
        None => Some(field.id.clone()),
    }
}

fn list(headers: &[String]) -> String {
    if headers.is_empty() {
        return "none".into();
    }
    let shown: Vec<String> = headers.iter().take(30).map(|h| format!("`{h}`")).collect();
    let more = if headers.len() > 30 { ", ..." } else { "" };
    format!("{}{more}", shown.join(", "))
}
