-- Directory search at 100,000 people (issue 8): indexes instead of scans.
--
-- Two full-text indexes over active people only (so a match never needs a
-- look at `employees` to drop leavers, and counting matches is counting the
-- index), kept in sync by the triggers below. Both are contentless: they
-- store only the index, never a second copy of the text; `contentless_delete`
-- lets the triggers remove a row by id.
--
-- people_search: every run of three characters in name, title and email
-- (trigram tokenizer), so a search of 3 or more characters finds it anywhere,
-- as the old `LIKE '%text%'` did. Case and diacritics are folded: "zoe"
-- finds "Zoë".
CREATE VIRTUAL TABLE people_search USING fts5(
    name, title, email,
    content = '', contentless_delete = 1,
    tokenize = 'trigram case_sensitive 0 remove_diacritics 1'
);

-- people_words: the words of name and title, with prefix indexes for one and
-- two characters. Trigrams cannot look up fewer than three characters, and
-- one or two letters found anywhere (every email has "la", "an", "ex") match
-- almost everybody; so a 1-2 character search means "a word of the name or
-- title starting with it": "Li" finds Lina and Ana Li, not William.
CREATE VIRTUAL TABLE people_words USING fts5(
    name, title,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2'
);

INSERT INTO people_search (rowid, name, title, email)
    SELECT id, name, title, email FROM employees WHERE active = 1;
INSERT INTO people_words (rowid, name, title)
    SELECT id, name, title FROM employees WHERE active = 1;

CREATE TRIGGER employees_search_insert AFTER INSERT ON employees WHEN new.active = 1
BEGIN
    INSERT INTO people_search (rowid, name, title, email)
        VALUES (new.id, new.name, new.title, new.email);
    INSERT INTO people_words (rowid, name, title) VALUES (new.id, new.name, new.title);
END;

CREATE TRIGGER employees_search_delete AFTER DELETE ON employees WHEN old.active = 1
BEGIN
    DELETE FROM people_search WHERE rowid = old.id;
    DELETE FROM people_words WHERE rowid = old.id;
END;

CREATE TRIGGER employees_search_update
AFTER UPDATE OF id, name, title, email, active ON employees
BEGIN
    DELETE FROM people_search WHERE rowid = old.id;
    DELETE FROM people_words WHERE rowid = old.id;
    INSERT INTO people_search (rowid, name, title, email)
        SELECT new.id, new.name, new.title, new.email WHERE new.active = 1;
    INSERT INTO people_words (rowid, name, title)
        SELECT new.id, new.name, new.title WHERE new.active = 1;
END;

-- Department and location together: their people in name order, and their
-- count, straight from one index (the single-column indexes would have to
-- look up every row of the department to check its location).
CREATE INDEX employees_by_department_location
    ON employees (department, location, name COLLATE NOCASE, id) WHERE active = 1;
