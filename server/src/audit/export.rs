//! The audit log as CSV, for HR's spreadsheet.
//!
//! Cells are written by the `csv` crate (quoting commas, quotes, line
//! breaks) and defused against formula injection: a cell a spreadsheet
//! would evaluate (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) is prefixed with `'`, since details hold text people typed (an
//! email at a failed sign-in, a rejection reason, a name).

use super::query::{self, Filter};
use crate::db::Db;
use lanyard_wire::{AuditEntry, AuditPerson};
use std::borrow::Cow;

/// The most entries one export holds.
pub const MAX_EXPORT_ROWS: usize = 100_000;
/// Entries read per query while exporting.
const CHUNK: u32 = 1000;

const HEADER: [&str; 9] = [
    "id", "at", "at_ms", "actor_id", "actor", "action", "subjects", "detail", "ip",
];

/// The CSV of every entry matching `filter`, newest first, and whether it
/// stopped at [`MAX_EXPORT_ROWS`] with more left.
pub async fn csv(db: &Db, filter: &Filter) -> anyhow::Result<(Vec<u8>, bool)> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER)?;
    let (mut written, mut before) = (0usize, None);
    loop {
        let room = u32::try_from(MAX_EXPORT_ROWS - written).unwrap_or(CHUNK);
        let (entries, more) = query::entries(db, filter, before, CHUNK.min(room)).await?;
        for entry in &entries {
            out.write_record(row(entry).iter().map(|cell| defuse(cell).into_owned()))?;
        }
        written += entries.len();
        before = entries.last().map(|e| e.id);
        if !more || before.is_none() {
            break;
        }
        if written >= MAX_EXPORT_ROWS {
            let bytes = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
            return Ok((bytes, true));
        }
    }
    let bytes = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((bytes, false))
}

fn row(entry: &AuditEntry) -> [String; 9] {
    let name = |p: &AuditPerson| format!("{} (#{})", p.name, p.id.0);
    [
        entry.id.to_string(),
        iso_8601(entry.at.0),
        entry.at.0.to_string(),
        entry
            .actor
            .as_ref()
            .map(|a| a.id.0.to_string())
            .unwrap_or_default(),
        entry.actor.as_ref().map(name).unwrap_or_default(),
        super::action_name(entry.action),
        entry
            .subjects
            .iter()
            .map(name)
            .collect::<Vec<_>>()
            .join("; "),
        entry.detail.clone(),
        entry.ip.clone().unwrap_or_default(),
    ]
}

/// A cell a spreadsheet will show as text, never run as a formula.
pub fn defuse(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// `2026-11-26T09:30:00.123Z` for unix milliseconds.
pub fn iso_8601(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        ),
        Err(_) => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        for cell in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defuse(cell), format!("'{cell}"));
        }
        for cell in ["", "Ada", "ada@lanyard.example", "1", "a=b"] {
            assert_eq!(defuse(cell), cell);
        }
    }

    #[test]
    fn times_are_utc_iso_8601_with_milliseconds() {
        assert_eq!(iso_8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_8601(1_795_000_000_123), "2026-11-18T11:06:40.123Z");
    }
}
