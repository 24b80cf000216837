-- Own-photo uploads (issue 5); as migrations/sqlite/20261126000002_uploads.sql.

-- What the presigned PUT of an 'uploading' version binds (a fresh URL for
-- the same upload must bind the same), and when its last URL expires: after
-- that no more bytes can arrive, which is what the sweeper counts from.
ALTER TABLE photo_versions ADD COLUMN upload_content_type TEXT;
ALTER TABLE photo_versions ADD COLUMN upload_content_length BIGINT;
ALTER TABLE photo_versions ADD COLUMN upload_expires_at BIGINT;  -- unix ms

-- The sweeper looks for abandoned uploads by expiry.
CREATE INDEX photo_versions_uploading ON photo_versions (upload_expires_at)
    WHERE state = 'uploading';

-- Objects to delete from the store: written in the same transaction that
-- drops the rows they belonged to, removed once the store confirmed the
-- delete at or after `delete_after`. So a crash, a store outage or a PUT
-- still in flight on a live upload URL (hence `delete_after` past that
-- URL's expiry) never leaves an object behind that no row points to.
CREATE TABLE object_deletions (
    key          TEXT    PRIMARY KEY,
    delete_after BIGINT  NOT NULL  -- unix ms
);
CREATE INDEX object_deletions_due ON object_deletions (delete_after);
