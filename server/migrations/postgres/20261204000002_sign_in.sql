-- Real staff sign in (issue 14): single sign-on identities, and one-time
-- sign-in links from HR. As migrations/sqlite/20261204000002_sign_in.sql.

-- A person's identity at an OpenID Provider: linked at their first single
-- sign-on (matched by verified email), then found by (issuer, subject), so
-- a later change of email at the provider neither breaks nor hijacks it.
-- One identity per person and issuer.
CREATE TABLE oidc_identities (
    issuer      TEXT   NOT NULL,
    subject     TEXT   NOT NULL,
    employee_id BIGINT NOT NULL REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED,
    linked_at   BIGINT NOT NULL,  -- unix ms
    PRIMARY KEY (issuer, subject)
);
CREATE UNIQUE INDEX oidc_identities_by_person ON oidc_identities (employee_id, issuer);

-- The one live sign-in link of a person: only the SHA-256 of its token is
-- kept. A new link replaces the old; using it deletes it.
CREATE TABLE sign_in_links (
    employee_id BIGINT PRIMARY KEY REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED,
    token_hash  TEXT   NOT NULL UNIQUE,
    created_by  BIGINT,
    created_at  BIGINT NOT NULL,  -- unix ms
    expires_at  BIGINT NOT NULL   -- unix ms
);
