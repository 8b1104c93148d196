-- 0001 registry: the region tree and the five interchange-v1 tables (with the v1.1
-- columns persons.deceased_on and enrollments.until), SQLite flavour.
--
-- Conventions (the PostgreSQL migration of the same number says the same in its types):
-- * NULL means unknown (an empty cell in the file), never zero or false.
-- * Money is INTEGER fen, never REAL. Dates are TEXT 'YYYY-MM-DD'. Booleans are 0/1.
-- * Vocabularies are stored as their interchange codes, checked here so that a stray
--   value cannot enter through another tool.
-- * `extra` holds the columns an input file carried that the format does not know, as a
--   JSON array of [column, value] pairs in file order; NULL when there were none.
-- * STRICT tables: a value of the wrong type is an error instead of silently converted.
-- * WITHOUT ROWID tables: rows live in the B-tree of their text key, so an insert
--   maintains one tree instead of a rowid table plus a key index (measured: the bulk
--   import spends most of its time in SQLite's B-tree code).
-- * Vocabulary checks with more than two values are written as `x = 'a' OR x = 'b' …`
--   rather than `x IN (…)`: SQLite builds a temporary index for a longer IN list on
--   every execution of an INSERT, which made the row-at-a-time import several times
--   slower. Same meaning, and NULL (unknown) still passes either way.
-- * No FOREIGN KEY constraints, on purpose: the importer checks every reference itself
--   (and tells a caseworker which line is wrong), and one import writes its files in
--   batches in any order, so a person may arrive before the household it belongs to.

CREATE TABLE regions (
    code        TEXT NOT NULL PRIMARY KEY CHECK (length(code) = 12),
    level       TEXT NOT NULL CHECK (
        level = 'province' OR level = 'city' OR level = 'county'
        OR level = 'township' OR level = 'village'),
    name        TEXT NOT NULL,
    parent_code TEXT CHECK (length(parent_code) = 12),
    -- Row order of the source table: children are listed in it, so it is kept.
    seq         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE households (
    household_id TEXT NOT NULL PRIMARY KEY,
    region_code  TEXT NOT NULL CHECK (length(region_code) = 12),
    area         TEXT CHECK (area IN ('urban', 'rural')),
    savings      INTEGER CHECK (savings >= 0),
    houses       INTEGER CHECK (houses BETWEEN 0 AND 4294967295),
    vehicles     INTEGER CHECK (vehicles BETWEEN 0 AND 4294967295),
    address      TEXT,
    extra        TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE persons (
    person_id         TEXT NOT NULL PRIMARY KEY,
    household_id      TEXT NOT NULL,
    id_number         TEXT NOT NULL CHECK (length(id_number) = 18),
    name              TEXT NOT NULL,
    sex               TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date        TEXT NOT NULL,
    relation          TEXT NOT NULL CHECK (
        relation = 'head' OR relation = 'spouse' OR relation = 'child'
        OR relation = 'parent' OR relation = 'grandchild' OR relation = 'grandparent'
        OR relation = 'sibling' OR relation = 'other'),
    disability_grade  INTEGER CHECK (disability_grade BETWEEN 0 AND 4),
    disability_kind   TEXT CHECK (
        disability_kind = 'none' OR disability_kind = 'visual' OR disability_kind = 'hearing'
        OR disability_kind = 'speech' OR disability_kind = 'physical' OR disability_kind = 'intellectual'
        OR disability_kind = 'mental' OR disability_kind = 'multiple'),
    self_care         TEXT CHECK (self_care = 'full' OR self_care = 'partial' OR self_care = 'none'),
    employment        TEXT CHECK (
        employment = 'employed' OR employment = 'flexible' OR employment = 'unemployed'
        OR employment = 'retired' OR employment = 'student' OR employment = 'none'),
    wage_income       INTEGER CHECK (wage_income >= 0),
    business_income   INTEGER CHECK (business_income >= 0),
    property_income   INTEGER CHECK (property_income >= 0),
    transfer_income   INTEGER CHECK (transfer_income >= 0),
    illness           TEXT CHECK (illness = 'none' OR illness = 'chronic' OR illness = 'severe'),
    capable_supporter INTEGER CHECK (capable_supporter IN (0, 1)),
    orphan            INTEGER CHECK (orphan IN (0, 1)),
    deceased_on       TEXT,
    extra             TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE hospital_stays (
    stay_id        TEXT NOT NULL PRIMARY KEY,
    person_id      TEXT NOT NULL,
    admit_date     TEXT NOT NULL,
    discharge_date TEXT NOT NULL,
    hospital_level TEXT NOT NULL CHECK (hospital_level = '1' OR hospital_level = '2' OR hospital_level = '3'),
    in_district    INTEGER NOT NULL CHECK (in_district IN (0, 1)),
    total_cost     INTEGER NOT NULL CHECK (total_cost >= 0),
    covered_cost   INTEGER NOT NULL CHECK (covered_cost >= 0),
    extra          TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
    event_id     TEXT NOT NULL PRIMARY KEY,
    person_id    TEXT,
    household_id TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (
        kind = 'unemployment_registered' OR kind = 'disability_certified' OR kind = 'death'
        OR kind = 'disaster_loss' OR kind = 'large_expense' OR kind = 'income_change'),
    date         TEXT NOT NULL,
    amount       INTEGER CHECK (amount >= 0),
    note         TEXT,
    extra        TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE enrollments (
    household_id   TEXT NOT NULL,
    person_id      TEXT CHECK (person_id <> ''),
    -- person_id, or '' for a household-level program: a key column cannot be NULL,
    -- and NULLs would never conflict, so the same enrollment could be stored twice.
    person_key     TEXT NOT NULL CHECK (person_key = coalesce(person_id, '')),
    program        TEXT NOT NULL,
    since          TEXT NOT NULL,
    monthly_amount INTEGER CHECK (monthly_amount >= 0),
    until          TEXT,
    extra          TEXT,
    PRIMARY KEY (household_id, person_key, program)
) STRICT, WITHOUT ROWID;

-- The lookups later layers make: members of a household, stays of a person, households
-- of a village, events of a household. (A person by ID number comes with the search
-- pages: building that index is a third of a bulk import's time, for nothing until then.)
CREATE INDEX persons_household_id ON persons (household_id);
CREATE INDEX hospital_stays_person_id ON hospital_stays (person_id);
CREATE INDEX households_region_code ON households (region_code);
CREATE INDEX events_household_id ON events (household_id);
