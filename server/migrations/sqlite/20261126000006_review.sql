-- HR's photo review (issue 6).

-- The review queue lists pending versions oldest first.
CREATE INDEX photo_versions_pending ON photo_versions (created_at, id) WHERE state = 'pending';

-- Every version id whose row was dropped (replaced by a newer upload,
-- withdrawn, cancelled, erased). A review decision on one of them is a
-- conflict ("no longer pending"), not an unknown id: HR's screen was
-- merely out of date. Ids are random and never reused.
CREATE TABLE retired_photo_versions (
    id          TEXT    PRIMARY KEY,
    employee_id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER photo_versions_retire AFTER DELETE ON photo_versions
BEGIN
    INSERT OR IGNORE INTO retired_photo_versions (id, employee_id) VALUES (old.id, old.employee_id);
END;
