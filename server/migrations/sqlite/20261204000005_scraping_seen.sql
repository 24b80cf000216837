-- Scraping detection's state (issue 16): which people each person was
-- granted photos of, and when last. Counting distinct people from here
-- costs at most the limit's number of index rows, where counting them from
-- the audit log cost every grant in the window (a person reading fast made
-- every count slower: 76 % of the directory API's throughput in
-- scripts/bench-replicas.sh). Live state, like rate_limits: the sweeper
-- deletes rows older than the window.
CREATE TABLE scraping_seen (
    actor_id    INTEGER NOT NULL,
    employee_id INTEGER NOT NULL,
    last_at     INTEGER NOT NULL,  -- unix ms
    PRIMARY KEY (actor_id, employee_id)
) WITHOUT ROWID;
CREATE INDEX scraping_seen_by_time ON scraping_seen (actor_id, last_at);
