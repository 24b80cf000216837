-- Real staff sign in (issue 14): single sign-on identities, and one-time
-- sign-in links from HR.

-- A person's identity at an OpenID Provider: linked at their first single
-- sign-on (matched by verified email), then found by (issuer, subject), so
-- a later change of email at the provider neither breaks nor hijacks it.
-- One identity per person and issuer.
CREATE TABLE oidc_identities (
    issuer      TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    linked_at   INTEGER NOT NULL,  -- unix ms
    PRIMARY KEY (issuer, subject)
) WITHOUT ROWID;
CREATE UNIQUE INDEX oidc_identities_by_person ON oidc_identities (employee_id, issuer);

-- The one live sign-in link of a person: only the SHA-256 of its token is
-- kept. A new link replaces the old; using it deletes it.
CREATE TABLE sign_in_links (
    employee_id INTEGER PRIMARY KEY REFERENCES employees (id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_by  INTEGER,
    created_at  INTEGER NOT NULL,  -- unix ms
    expires_at  INTEGER NOT NULL   -- unix ms
);
