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
-- LC_CTYPE. With a UTF-8 LC_CTYPE (C.UTF-8, en_US.UTF-8, …, what initdb and
-- managed services give) every letter's case is folded and `[[:alnum:]]`
-- knows every script's letters; under LC_CTYPE=C only ASCII letters fold
-- (unaccent still maps accented Latin letters to ASCII) and letters of other
-- scripts do not begin words. Changing unaccent's rules, or the glibc the
-- server runs on, changes what is stored: after either, rewrite the
-- columns (`UPDATE employees SET name = name`) and REINDEX.

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
