-- Sessions: the table tower-sessions-sqlx-store 0.15's PostgresStore reads
-- and writes (`public.tower_sessions`, in the shape its `migrate()` would
-- create; the application never calls that, so its role needs no right to
-- create tables). As migrations/sqlite/20261204000001_sessions.sql, in the
-- PostgreSQL store's shape: `data` is bytea, `expiry_date` a timestamptz.
CREATE TABLE IF NOT EXISTS public.tower_sessions (
    id          TEXT        PRIMARY KEY NOT NULL,
    data        BYTEA       NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);
