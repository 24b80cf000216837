-- State every replica shares (issue 16): rate limits, and leases on
-- background work. As migrations/sqlite/20261204000003_shared_state.sql.

-- One GCRA bucket per key ("urls:42", "sign-in:fail:ann@x:10.0.0.1"…):
-- `tat` is the theoretical arrival time in unix ms. A row whose tat is in
-- the past is as good as absent; the sweeper deletes those. UNLOGGED: a
-- crash of the database empties it, which only forgives some limits, and
-- every request writes it.
CREATE UNLOGGED TABLE rate_limits (
    key TEXT   PRIMARY KEY,
    tat BIGINT NOT NULL
);

-- Who holds a lease on a piece of background work (the sweeper), until when.
CREATE TABLE leases (
    name       TEXT   PRIMARY KEY,
    holder     TEXT   NOT NULL,
    expires_at BIGINT NOT NULL  -- unix ms
);
