-- The audit log (issue 6): one row per request that did something worth
-- answering "who did that?" for, and the people each row concerns.

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,                 -- unix ms
    -- Who acted; NULL when nobody was signed in (a failed sign-in with an
    -- unknown email). Not a foreign key: the log outlives any change to
    -- the people it names.
    actor_id INTEGER,
    action   TEXT    NOT NULL,                 -- lanyard_wire::AuditAction, snake_case
    detail   TEXT    NOT NULL DEFAULT '',      -- a sentence for people
    ip       TEXT                              -- the client's address, when known
);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- Whom an entry concerns: whose photo was granted, reviewed or erased,
-- whose record changed. `photo_version_id` says which version, if any.
CREATE TABLE audit_subjects (
    entry_id         INTEGER NOT NULL REFERENCES audit_log (id),
    employee_id      INTEGER NOT NULL,
    photo_version_id TEXT,
    PRIMARY KEY (entry_id, employee_id)
) WITHOUT ROWID;
CREATE INDEX audit_subjects_by_person ON audit_subjects (employee_id, entry_id);

-- The application can only append: rows can be neither changed nor removed.
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_subjects_are_append_only_update BEFORE UPDATE ON audit_subjects
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_subjects_are_append_only_delete BEFORE DELETE ON audit_subjects
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
