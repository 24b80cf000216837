//! The audit log as CSV, for HR's spreadsheet.
//!
//! Cells are written by the `csv` crate (quoting commas, quotes, line
//! breaks) and defused against formula injection: a cell a spreadsheet
//! would evaluate (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) is prefixed with `'`, since details hold text people typed (an
//! email at a failed sign-in, a rejection reason, a name).

use super::query::{self, Filter};
use crate::db::Db;
use bytes::Bytes;
use futures_util::stream::{self, Stream};
use lanyard_wire::{AuditEntry, AuditPerson};
use std::borrow::Cow;

/// Entries read per query while exporting: the most the export holds in
/// memory at once, whatever the log's size.
const CHUNK: u32 = 1000;

const HEADER: [&str; 9] = [
    "id", "at", "at_ms", "actor_id", "actor", "action", "subjects", "detail", "ip",
];

/// Where an export is.
enum Cursor {
    /// The header is next.
    Start,
    /// Entries with ids below this (or from the newest) are next.
    Before(Option<i64>),
    Done,
}

/// Every entry matching `filter` as CSV, newest first, streamed a chunk of
/// [`CHUNK`] entries at a time: memory stays flat from a thousand entries
/// to millions (docs/performance.md, "Audit export"). Entries appended
/// while the export runs are newer than its first page and not in it. A
/// database failure midway ends the stream with an error, so the client
/// sees a broken download rather than a short file that looks complete.
pub fn csv_stream(db: Db, filter: Filter) -> impl Stream<Item = anyhow::Result<Bytes>> + Send {
    stream::try_unfold(Cursor::Start, move |cursor| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            match cursor {
                Cursor::Start => Ok(Some((
                    render(std::iter::empty(), true)?,
                    Cursor::Before(None),
                ))),
                Cursor::Before(before) => {
                    let (entries, more) = query::entries(&db, &filter, before, CHUNK).await?;
                    let next = match entries.last() {
                        Some(last) if more => Cursor::Before(Some(last.id)),
                        _ => Cursor::Done,
                    };
                    Ok(Some((render(entries.iter(), false)?, next)))
                }
                Cursor::Done => Ok(None),
            }
        }
    })
}

/// CSV lines for `entries`, after the header when `header`.
fn render<'a>(
    entries: impl Iterator<Item = &'a AuditEntry>,
    header: bool,
) -> anyhow::Result<Bytes> {
    let mut out = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    if header {
        out.write_record(HEADER)?;
    }
    for entry in entries {
        out.write_record(row(entry).iter().map(|cell| defuse(cell).into_owned()))?;
    }
    let bytes = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Bytes::from(bytes))
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
        entry
            .actor
            .as_ref()
            .map(name)
            .or_else(|| entry.via.clone())
            .unwrap_or_default(),
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
