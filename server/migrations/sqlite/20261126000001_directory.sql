-- The directory: employees, their photo versions, and the indexes a
-- 100,000-person directory needs to search, filter and sort quickly.

CREATE TABLE employees (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    email            TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    title            TEXT    NOT NULL,
    department       TEXT    NOT NULL,
    location         TEXT    NOT NULL,
    phone            TEXT    NOT NULL,
    -- The reporting tree; NULL for the top of the company.
    manager_id       INTEGER REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED,
    role             TEXT    NOT NULL DEFAULT 'employee' CHECK (role IN ('employee', 'hr')),
    -- Argon2id PHC string; NULL means this person cannot sign in.
    password_hash    TEXT,
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- The approved photo version shown to others; NULL = no photo.
    photo_version_id TEXT REFERENCES photo_versions (id) DEFERRABLE INITIALLY DEFERRED,
    created_at       INTEGER NOT NULL  -- unix ms
);

-- Every photo a person ever had or proposed. The id is 128 random bits in
-- hex and the only thing object keys are built from
-- (`photos/{id}/thumb.jpg`, `photos/{id}/profile.jpg`, `uploads/{id}`).
CREATE TABLE photo_versions (
    id          TEXT    PRIMARY KEY CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
    employee_id INTEGER NOT NULL REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED,
    state       TEXT    NOT NULL CHECK (state IN ('uploading', 'pending', 'approved', 'rejected')),
    -- HR's reason when rejected.
    reason      TEXT,
    created_at  INTEGER NOT NULL,  -- unix ms
    decided_at  INTEGER            -- unix ms, when approved or rejected
);

-- The directory lists active people by name (case-insensitively), then id,
-- optionally within one department or location. Partial indexes hold only
-- active people, which every directory query asks for (`active = 1`), and
-- also make the facet queries (distinct departments, locations) index-only.
CREATE INDEX employees_by_name ON employees (name COLLATE NOCASE, id) WHERE active = 1;
CREATE INDEX employees_by_department ON employees (department, name COLLATE NOCASE, id) WHERE active = 1;
CREATE INDEX employees_by_location ON employees (location, name COLLATE NOCASE, id) WHERE active = 1;
-- A profile lists its direct reports.
CREATE INDEX employees_by_manager ON employees (manager_id);
-- Finds whose photo a version is; SQLite also needs it to check the
-- foreign key from employees when photo_versions rows are written.
CREATE INDEX employees_by_photo ON employees (photo_version_id);
CREATE INDEX photo_versions_by_employee ON photo_versions (employee_id, state);
