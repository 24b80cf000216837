-- Provisioning over SCIM 2.0 (issue 17): the people an identity provider
-- manages, the tokens it authenticates with, and who acted when no person did.

-- The people SCIM manages: created over SCIM, or adopted when a POST names
-- someone already in the directory. A person without a row is invisible to
-- SCIM; DELETE removes the row (and deactivates the person), so the
-- provider sees the user gone while HR keeps the record.
CREATE TABLE scim_users (
    employee_id BIGINT  PRIMARY KEY REFERENCES employees (id),
    -- The provider's login name (usually the work email), unique ignoring
    -- ASCII case like emails (`user_name_key`, as `email_key`).
    user_name   TEXT    NOT NULL,
    -- The provider's own id for the person, unique when given.
    external_id TEXT    UNIQUE,
    -- What the provider sent, kept as sent so it reads back the same; the
    -- directory's name is made from them (displayName, else the name's
    -- parts, else the user name).
    display_name TEXT,
    given_name  TEXT,
    family_name TEXT,
    created_at  BIGINT  NOT NULL,  -- unix ms
    updated_at  BIGINT  NOT NULL,  -- unix ms
    user_name_key TEXT COLLATE "C" NOT NULL GENERATED ALWAYS AS
        (translate(user_name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')) STORED,
    CONSTRAINT scim_users_user_name_unique UNIQUE (user_name_key)
);

-- Bearer tokens for SCIM clients, kept only as the SHA-256 of the token
-- (256 random bits: a fast hash is enough).
CREATE TABLE scim_tokens (
    name         TEXT    PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   BIGINT  NOT NULL,  -- unix ms
    last_used_at BIGINT             -- unix ms
);

-- Who acted when it was not a person: "SCIM (okta)".
ALTER TABLE audit_log ADD COLUMN actor_label TEXT;
