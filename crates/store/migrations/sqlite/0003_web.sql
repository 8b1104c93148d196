-- 0003 web: what the caseworker pages read — the indexes of the household search and
-- the household page, and the stored results of evaluated months — SQLite flavour.
--
-- Conventions (those of 0001; the PostgreSQL migration of the same number follows them):
-- * Every search is scoped to a jurisdiction, a region subtree: a range on the
--   12-digit region code (`region_code >= '510703' AND region_code < '510704'`), which
--   an index on region_code answers (LIKE 'x%' would not use it on SQLite).
-- * A name prefix is a range too (`name >= '张' AND name < '弡'`), byte order on both
--   backends, so '%' and '_' in a search are plain characters.
-- * The secondary indexes of the registry tables are dropped and rebuilt by a first load
--   like those of 0001 (the bulk-load code takes every index of the table, by its SQL).

-- A person by ID number: deferred by 0001 to the search pages, which are here.
CREATE INDEX persons_id_number ON persons (id_number);
-- Name prefix search; household_id makes it covering (name → household without a
-- lookup of the person row).
CREATE INDEX persons_name ON persons (name, household_id);
-- persons(household_id), households(region_code), hospital_stays(person_id) and
-- events(household_id) exist since 0001; enrollments are keyed by household first.

-- The eligible units of an evaluated month, each with its household's region, so that a
-- jurisdiction's figures are one range scan. A month is replaced as a whole.
CREATE TABLE results (
    -- 'YYYY-MM'.
    month          TEXT NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
    household_id   TEXT NOT NULL,
    -- '' for a household-level program (a key column cannot be NULL).
    person_id      TEXT NOT NULL,
    program        TEXT NOT NULL,
    region_code    TEXT NOT NULL CHECK (length(region_code) = 12),
    eligible       INTEGER NOT NULL CHECK (eligible IN (0, 1)),
    -- Fen.
    monthly_amount INTEGER NOT NULL CHECK (monthly_amount >= 0),
    PRIMARY KEY (month, household_id, person_id, program)
) STRICT, WITHOUT ROWID;

-- Summaries of a month within a jurisdiction.
CREATE INDEX results_month_region ON results (month, region_code);
