//! Local time: the IANA time zone HR sets for each location. Profiles and
//! cards carry the zone of the person's location (`PERSON_COLUMNS`); the
//! SPA shows the time there with the browser's own time zone rules
//! (`Intl.DateTimeFormat`), so daylight saving is the browser's to get
//! right, and is pinned by its tests with fixed instants.

use crate::db::{query, query_with, Db, Exec as _, Tx};

/// Why a time zone was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneProblem {
    #[error("\"{0}\" is not a time zone we know. Use an IANA name such as Europe/Paris, Asia/Singapore or America/New_York.")]
    Unknown(String),
}

/// `name` as the time zone database spells it ("europe/paris" is
/// "Europe/Paris"), if it is one of its zones. Only names: a fixed offset
/// ("UTC+5") or a POSIX rule string would not follow a place's changes.
pub fn canonical_zone(name: &str) -> Result<String, ZoneProblem> {
    let unknown = || ZoneProblem::Unknown(name.to_owned());
    let name = name.trim();
    if name.is_empty() || name.len() > 64 {
        return Err(unknown());
    }
    let zone = jiff::tz::TimeZone::get(name).map_err(|_| unknown())?;
    Ok(zone.iana_name().unwrap_or(name).to_owned())
}

/// Every zone name [`canonical_zone`] takes as it is spelled, sorted (the
/// API document lists them).
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.as_str().to_owned())
        .collect();
    names.sort();
    names
}

/// One location: its zone, if set, and how many active people work there.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LocationRow {
    pub location: String,
    pub time_zone: Option<String>,
    pub people: i64,
}

/// Every location active people work in, and every location with a zone
/// set, sorted by code point.
pub async fn list(db: &Db) -> sqlx::Result<Vec<LocationRow>> {
    let statement = query_with(|d| {
        format!(
            "SELECT l.location, z.time_zone, l.people FROM \
                 (SELECT location, COUNT(*) AS people FROM employees WHERE {} GROUP BY location) l \
                 LEFT JOIN location_time_zones z ON z.location = l.location \
             UNION ALL \
             SELECT z.location, z.time_zone, 0 FROM location_time_zones z \
                 WHERE NOT EXISTS (SELECT 1 FROM employees e WHERE e.location = z.location AND {})",
            d.is_true("active"),
            d.is_true("e.active")
        )
    });
    let mut rows: Vec<LocationRow> = db.fetch_all(statement).await?;
    rows.sort_by(|a, b| a.location.cmp(&b.location));
    Ok(rows)
}

/// How many active people work at `location` (one location's count, not
/// [`list`]'s scan of every location).
pub async fn people_at(db: &Db, location: &str) -> sqlx::Result<u64> {
    let statement = query_with(|d| {
        format!(
            "SELECT COUNT(*) FROM employees WHERE location = $1 AND {}",
            d.is_true("active")
        )
    });
    let count: i64 = db.scalar(statement.bind(location)).await?;
    Ok(u64::try_from(count).unwrap_or_default())
}

/// Sets (or with `None` clears) `location`'s zone; returns the previous one.
pub async fn set(
    tx: &mut Tx,
    location: &str,
    zone: Option<&str>,
    now_ms: i64,
) -> sqlx::Result<Option<String>> {
    let previous: Option<String> = tx
        .optional_scalar(
            query("SELECT time_zone FROM location_time_zones WHERE location = $1").bind(location),
        )
        .await?;
    let statement = match zone {
        Some(zone) => query(
            "INSERT INTO location_time_zones (location, time_zone, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (location) DO UPDATE SET time_zone = excluded.time_zone, updated_at = excluded.updated_at",
        )
        .bind(location)
        .bind(zone)
        .bind(now_ms),
        None => query("DELETE FROM location_time_zones WHERE location = $1").bind(location),
    };
    tx.execute(statement).await?;
    Ok(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_spelled_as_the_database_spells_them() {
        assert_eq!(canonical_zone("Europe/Paris").unwrap(), "Europe/Paris");
        assert_eq!(
            canonical_zone(" asia/singapore ").unwrap(),
            "Asia/Singapore"
        );
        assert_eq!(
            canonical_zone("AMERICA/NEW_YORK").unwrap(),
            "America/New_York"
        );
        assert_eq!(canonical_zone("UTC").unwrap(), "UTC");
        // An old name the database still links is kept as such: browsers
        // know the links too.
        assert!(canonical_zone("Asia/Calcutta").is_ok());
    }

    #[test]
    fn every_listed_name_is_taken_as_spelled() {
        let names = zone_names();
        assert!(names.len() > 300, "{}", names.len());
        for name in &names {
            assert_eq!(&canonical_zone(name).unwrap(), name);
        }
    }

    #[test]
    fn mistyped_and_non_place_zones_are_refused_with_examples() {
        for bad in [
            "",
            "   ",
            "Europe/Pariss",
            "Mars/Olympus_Mons",
            "UTC+5",
            "<+05>-5",
            "../../etc/passwd",
            "Europe/Paris\u{0}",
            &"A".repeat(65),
        ] {
            let problem = canonical_zone(bad).unwrap_err();
            assert!(
                problem
                    .to_string()
                    .contains("IANA name such as Europe/Paris"),
                "{bad:?}"
            );
        }
    }
}
