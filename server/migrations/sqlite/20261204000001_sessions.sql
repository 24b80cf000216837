-- Sessions (tower-sessions' SqliteStore reads and writes this table; its
-- `migrate()` created it on start until migrations did). Unchanged shape:
-- existing databases already have it.
CREATE TABLE IF NOT EXISTS tower_sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
