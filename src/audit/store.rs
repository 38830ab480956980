//! What the audit keeps per deal while it reads: compact stage events from the history and
//! the deals-file row. Row text is never kept, so memory grows with deals and their stage
//! events (16 bytes each), not with the width of the files.

use std::collections::HashMap;

/// No probability recorded on a history row.
pub const NO_PROBABILITY: u16 = u16::MAX;

/// One history row of a deal: its time, stage and line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: i64,
    pub line: u32,
    pub stage: u16,
    /// The probability the CRM recorded, in hundredths of a percent, or [`NO_PROBABILITY`].
    pub probability: u16,
}

/// A field's value in the deals file.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// The cell is empty.
    Unset,
    Bool(bool),
    Number(f64),
    Text(Box<str>),
    /// A date, as seconds; conditions only ask whether it is set.
    Date(i64),
}

/// A deal's row of the deals file.
#[derive(Clone, Debug)]
pub struct DealRow {
    pub line: u32,
    pub stage: Option<u16>,
    pub created: Option<i64>,
    pub closed: Option<i64>,
    pub stage_changed: Option<i64>,
    pub amount: Option<f64>,
    pub owner: Option<Box<str>>,
    /// One value per field column of the deals file, in the same order.
    pub values: Box<[Value]>,
    /// The `--by COLUMN` cell.
    pub by: Option<Box<str>>,
}

#[derive(Clone, Debug, Default)]
pub struct Deal {
    pub id: Box<str>,
    /// History rows in file order (sorted by time when the deal is analysed).
    pub events: Vec<Event>,
    /// The amount of the latest history row that has one, with its time.
    pub history_amount: Option<(i64, f64)>,
    pub row: Option<Box<DealRow>>,
    /// Rows of both files used for this deal, for the counts of rows left out by a window.
    pub rows: u32,
}

impl Deal {
    /// Records the amount of a history row if it is the latest so far; rows come in file
    /// order, so of two at the same time the later in the file wins.
    pub fn note_amount(&mut self, at: i64, amount: f64) {
        if self.history_amount.is_none_or(|(a, _)| at >= a) {
            self.history_amount = Some((at, amount));
        }
    }
}

/// Deals by id, in the order they first appear.
#[derive(Default)]
pub struct Deals {
    index: HashMap<Box<str>, u32>,
    pub list: Vec<Deal>,
    /// The deal of the previous row: exports list a deal's rows together more often than not.
    last: usize,
}

impl Deals {
    pub fn get_or_insert(&mut self, id: &str) -> &mut Deal {
        if self.list.get(self.last).is_some_and(|d| &*d.id == id) {
            return &mut self.list[self.last];
        }
        let i = match self.index.get(id) {
            Some(&i) => i as usize,
            None => {
                let i = self.list.len();
                self.index.insert(id.into(), i as u32);
                self.list.push(Deal {
                    id: id.into(),
                    ..Deal::default()
                });
                i
            }
        };
        self.last = i;
        &mut self.list[i]
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Deal> {
        let i = *self.index.get(id)?;
        self.list.get_mut(i as usize)
    }
}
