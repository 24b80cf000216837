-- Directory search at 100,000 people and more (issue 8): what SQLite's two
-- FTS5 indexes do (migrations/sqlite/20261126000004_search.sql), with
-- pg_trgm and unaccent. The queries that use them: SEARCH.md beside this.
--
-- - 3 or more characters are found anywhere in the name, title or email,
--   case and diacritics ignored ("zoe" finds "Zoë"), never across two of
--   them: `search_text LIKE lanyard_contains_pattern($1)`, served by a
--   pg_trgm GIN index (FTS5's trigram table).
-- - 1 or 2 letters or digits are the start of a word of the name or title
--   ("Li" finds Lina and Ana Li, not William):
--   `search_prefixes @> ARRAY[lanyard_fold($1)]`, served by a GIN index
--   over the folded 1- and 2-character beginnings of every word (FTS5's
--   unicode61 table with prefix indexes '1 2').
--
-- Both are stored generated columns, so neither a search nor its count
-- folds any text but the search's own, and both indexes are partial
-- (`WHERE active`): like the FTS5 tables they hold active people only.
--
-- Folding is unaccent (its default rules), then lower() in the database's
-- LC_CTYPE, which must be a UTF-8 one (C.UTF-8, en_US.UTF-8, ...: what
-- managed services and the official images give; checked below): then
-- every letter's case is folded and `[[:alnum:]]` knows every script's
-- letters. Changing unaccent's rules, or the C library the server runs
-- on, can change what is stored: after either, rewrite the generated
-- columns (`UPDATE employees SET name = name`) and REINDEX the search
-- indexes.

DO $$
BEGIN
    -- Under LC_CTYPE=C, lower() folds ASCII letters only and [[:alnum:]]
    -- knows no letter past ASCII: Greek, Cyrillic or CJK names could not
    -- be found by their first letters, nor in another case (measured:
    -- 1,086 of 11,751 test texts answered differently from SQLite, 317 of
    -- them missing people SQLite finds). Refuse rather than search wrongly.
    IF (SELECT datlocprovider = 'c' AND datctype IN ('C', 'POSIX')
        FROM pg_database WHERE datname = current_database()) THEN
        RAISE EXCEPTION 'Lanyard''s search needs a database whose LC_CTYPE is a UTF-8 locale (C.UTF-8, en_US.UTF-8, ...), not %', current_setting('lc_ctype')
            USING HINT = 'Create the database with: CREATE DATABASE ... TEMPLATE template0 ENCODING ''UTF8'' LOCALE ''C.UTF-8''';
    END IF;
END
$$;

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- The extensions' objects are named with their schema (usually public, but
-- a database may already keep them elsewhere), so no function below
-- depends on the caller's search_path; the bodies are SQL-standard, bound
-- to what they call when created.
DO $$
DECLARE
    unaccent_schema name := (SELECT extnamespace::regnamespace::name FROM pg_extension WHERE extname = 'unaccent');
BEGIN
    -- unaccent(text) is only STABLE (its dictionary could be changed);
    -- naming the dictionary makes it safe to declare IMMUTABLE, as indexes
    -- and generated columns need.
    EXECUTE format(
        'CREATE FUNCTION lanyard_unaccent(text) RETURNS text '
        'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE '
        'RETURN %I.unaccent(%L::regdictionary, $1)',
        unaccent_schema, quote_ident(unaccent_schema) || '.unaccent');
END
$$;

-- What searches compare: diacritics removed (Zoë → Zoe, Søren → Soren,
-- Straße → Strasse, Æ → AE), then lowercased; then the letters whose
-- lowercase is not their case folding folded as FTS5 folds them (Greek
-- final sigma, so "ΟΣ" finds "ος"; the micro sign; Greek symbol forms).
CREATE FUNCTION lanyard_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN translate(lower(lanyard_unaccent($1) COLLATE "default"), 'ςµϐϑϕϖϰϱϵẛ', 'σμβθφπκρεs');

-- Name, title and email folded, separated by a control character no search
-- text contains, so that a match never spans two of them.
CREATE FUNCTION lanyard_search_text(name text, title text, email text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN lanyard_fold(name || chr(31) || title || chr(31) || email);

-- The LIKE pattern that finds `text` anywhere in a search_text: folded,
-- then `\`, `%` and `_` escaped (after folding: unaccent turns some
-- characters into them, "％" into "%"). NULL, which matches nobody, when
-- fewer than 3 characters are left (as FTS5's trigram index finds nothing
-- for them). One expression, so that PostgreSQL inlines it: planned with
-- the search's text, the pattern is a constant the planner estimates from
-- the column's statistics (SEARCH.md, "Plans").
CREATE FUNCTION lanyard_contains_pattern(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN length(lanyard_fold($1)) >= 3
            THEN '%' || replace(replace(replace(lanyard_fold($1), '\', '\\'), '%', '\%'), '_', '\_') || '%'
       END;

-- The folded 1- and 2-character beginnings of every word of name and
-- title. A word is a run of letters and digits (FTS5 unicode61's tokens;
-- combining accents stay inside a word). Both the beginnings of the folded
-- word and the folded first 1 and 2 characters are kept, so a text that
-- folds to more characters than it has finds the word too ("Æg" → "aeg"
-- finds Ægir; "ae" and "a" find it as well).
CREATE FUNCTION lanyard_word_prefixes(name text, title text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(array_agg(DISTINCT p), '{}')
    FROM regexp_split_to_table((name || ' ' || title) COLLATE "default",
                               '[^[:alnum:]\u0300-\u036f]+') AS words(w)
    CROSS JOIN LATERAL (VALUES
        (left(lanyard_fold(w), 1)),
        (left(lanyard_fold(w), 2)),
        (lanyard_fold(left(w, 1))),
        (lanyard_fold(left(w, 2)))
    ) AS beginnings(p)
    WHERE p <> '';
END;

ALTER TABLE employees
    ADD COLUMN search_text TEXT GENERATED ALWAYS AS
        (lanyard_search_text(name, title, email)) STORED,
    ADD COLUMN search_prefixes TEXT[] GENERATED ALWAYS AS
        (lanyard_word_prefixes(name, title)) STORED;

DO $$
DECLARE
    trgm_schema name := (SELECT extnamespace::regnamespace::name FROM pg_extension WHERE extname = 'pg_trgm');
BEGIN
    EXECUTE format(
        'CREATE INDEX employees_search_trigrams ON employees '
        'USING gin (search_text %I.gin_trgm_ops) WHERE active',
        trgm_schema);
END
$$;
CREATE INDEX employees_search_prefixes ON employees USING gin (search_prefixes) WHERE active;

-- Department and location together: their people in name order, and their
-- count, straight from one index.
CREATE INDEX employees_by_department_location
    ON employees (department, location, name_key, id) WHERE active;

-- A search's walk in name order: the name-ordered index of active people
-- again, carrying each one's search columns, so that walking it to a page
-- tests the text on the index entry alone (an index-only scan: no row is
-- read for a person who does not match). Measured at 100,000 people: a
-- deep page of "man" 27 -> 7.6 ms, a full walk past 98,000 people 170 ->
-- 38 ms. employees_by_name stays: thinner, it is what a list without text
-- walks.
CREATE INDEX employees_search_by_name ON employees (name_key, id)
    INCLUDE (search_text, search_prefixes) WHERE active;

-- How many active people each department and location pair has, and how
-- many of them have a word of name or title beginning with each 1- or
-- 2-character prefix, kept by the triggers below: the count of a search
-- without text, or with 1 or 2 characters, is then a sum over a few dozen
-- rows at most (FTS5's prefix indexes gave SQLite the same), where
-- counting through the indexes visits every match (1,000,000 people:
-- ~100 ms for everyone, 400 ms for "e"). Also the directory's facets: the
-- departments and locations with people > 0.
CREATE TABLE directory_counts (
    department TEXT   NOT NULL,
    location   TEXT   NOT NULL,
    people     BIGINT NOT NULL,
    PRIMARY KEY (department, location)
);
CREATE TABLE directory_prefix_counts (
    prefix     TEXT   NOT NULL,  -- an element of search_prefixes
    department TEXT   NOT NULL,
    location   TEXT   NOT NULL,
    people     BIGINT NOT NULL,
    PRIMARY KEY (prefix, department, location)
);

-- One statement's changes, summed per key and written in key order (so two
-- transactions that both change the same keys wait for each other rather
-- than deadlock, as far as one statement goes). Keys whose count drops to
-- 0 stay, at 0.
CREATE FUNCTION directory_counts_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH changes AS (
            SELECT department, location, search_prefixes, 1 AS change FROM new_rows WHERE active
        ), pairs AS (
            INSERT INTO directory_counts AS c (department, location, people)
            SELECT department, location, sum(change) FROM changes
            GROUP BY department, location ORDER BY department, location
            ON CONFLICT (department, location) DO UPDATE SET people = c.people + excluded.people
        )
        INSERT INTO directory_prefix_counts AS c (prefix, department, location, people)
        SELECT prefix, department, location, sum(change) FROM changes, unnest(search_prefixes) AS prefix
        GROUP BY prefix, department, location ORDER BY prefix, department, location
        ON CONFLICT (prefix, department, location) DO UPDATE SET people = c.people + excluded.people;
    ELSIF TG_OP = 'DELETE' THEN
        WITH changes AS (
            SELECT department, location, search_prefixes, -1 AS change FROM old_rows WHERE active
        ), pairs AS (
            INSERT INTO directory_counts AS c (department, location, people)
            SELECT department, location, sum(change) FROM changes
            GROUP BY department, location ORDER BY department, location
            ON CONFLICT (department, location) DO UPDATE SET people = c.people + excluded.people
        )
        INSERT INTO directory_prefix_counts AS c (prefix, department, location, people)
        SELECT prefix, department, location, sum(change) FROM changes, unnest(search_prefixes) AS prefix
        GROUP BY prefix, department, location ORDER BY prefix, department, location
        ON CONFLICT (prefix, department, location) DO UPDATE SET people = c.people + excluded.people;
    ELSE
        WITH changes AS (
            SELECT department, location, search_prefixes, 1 AS change FROM new_rows WHERE active
            UNION ALL
            SELECT department, location, search_prefixes, -1 FROM old_rows WHERE active
        ), pairs AS (
            INSERT INTO directory_counts AS c (department, location, people)
            SELECT department, location, sum(change) FROM changes
            GROUP BY department, location HAVING sum(change) <> 0 ORDER BY department, location
            ON CONFLICT (department, location) DO UPDATE SET people = c.people + excluded.people
        )
        INSERT INTO directory_prefix_counts AS c (prefix, department, location, people)
        SELECT prefix, department, location, sum(change) FROM changes, unnest(search_prefixes) AS prefix
        GROUP BY prefix, department, location HAVING sum(change) <> 0 ORDER BY prefix, department, location
        ON CONFLICT (prefix, department, location) DO UPDATE SET people = c.people + excluded.people;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER directory_counts_insert AFTER INSERT ON employees
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_counts_follow();
CREATE TRIGGER directory_counts_update AFTER UPDATE ON employees
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_counts_follow();
CREATE TRIGGER directory_counts_delete AFTER DELETE ON employees
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_counts_follow();

INSERT INTO directory_counts (department, location, people)
    SELECT department, location, count(*) FROM employees WHERE active
    GROUP BY department, location;
INSERT INTO directory_prefix_counts (prefix, department, location, people)
    SELECT prefix, department, location, count(*) FROM employees, unnest(search_prefixes) AS prefix
    WHERE active GROUP BY prefix, department, location;

-- TRUNCATE fires no DELETE trigger.
CREATE FUNCTION directory_counts_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM directory_counts;
    DELETE FROM directory_prefix_counts;
    RETURN NULL;
END
$$;
CREATE TRIGGER directory_counts_truncate AFTER TRUNCATE ON employees
    FOR EACH STATEMENT EXECUTE FUNCTION directory_counts_clear();
