-- HR's photo review (issue 6); as migrations/sqlite/20261126000006_review.sql.

-- The review queue lists pending versions oldest first.
CREATE INDEX photo_versions_pending ON photo_versions (created_at, id) WHERE state = 'pending';

-- Every version id whose row was dropped (replaced by a newer upload,
-- withdrawn, cancelled, erased). A review decision on one of them is a
-- conflict ("no longer pending"), not an unknown id: HR's screen was
-- merely out of date. Ids are random and never reused.
CREATE TABLE retired_photo_versions (
    id          TEXT   PRIMARY KEY,
    employee_id BIGINT NOT NULL
);

CREATE FUNCTION photo_versions_retire() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO retired_photo_versions (id, employee_id)
        VALUES (OLD.id, OLD.employee_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER photo_versions_retire AFTER DELETE ON photo_versions
    FOR EACH ROW EXECUTE FUNCTION photo_versions_retire();
