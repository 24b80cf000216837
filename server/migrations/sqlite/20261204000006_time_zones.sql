-- Local time (issue 19): the IANA time zone HR sets for each location
-- (`employees.location` as written), which profiles and cards show the
-- local time of. A location without a row shows no local time. Only
-- zones the server's time zone database knows are stored, canonically
-- spelled (directory/locations.rs). A new table: the previous release,
-- which never reads it, runs beside this one during a rolling upgrade.
CREATE TABLE location_time_zones (
    location   TEXT    PRIMARY KEY,
    time_zone  TEXT    NOT NULL,
    updated_at INTEGER NOT NULL  -- unix ms
) WITHOUT ROWID;
