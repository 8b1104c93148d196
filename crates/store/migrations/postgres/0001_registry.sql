-- 0001 registry: the region tree and the five interchange-v1 tables (with the v1.1
-- columns persons.deceased_on and enrollments.until), PostgreSQL flavour.
--
-- Conventions (the SQLite migration of the same number follows the same ones):
-- * NULL means unknown (an empty cell in the file), never zero or false.
-- * Money is BIGINT fen, never a float or NUMERIC. Dates are DATE. Booleans are BOOLEAN.
-- * Vocabularies are stored as their interchange codes, checked here so that a stray
--   value cannot enter through another tool.
-- * `extra` holds the columns an input file carried that the format does not know, as
--   JSON text: an array of [column, value] pairs in file order; NULL when there were none.
--   TEXT rather than JSONB so that it comes back byte for byte as written.
-- * Ids and codes use COLLATE "C": exports are ordered by key, and byte order is the
--   same on every server whatever its locale (and the same as SQLite's).
-- * No FOREIGN KEY constraints, on purpose: the importer checks every reference itself
--   (and tells a caseworker which line is wrong), and one import writes its files in
--   batches in any order, so a person may arrive before the household it belongs to.

CREATE TABLE regions (
    code        TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(code) = 12),
    level       TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    name        TEXT NOT NULL,
    parent_code TEXT COLLATE "C" CHECK (length(parent_code) = 12),
    -- Row order of the source table: children are listed in it, so it is kept.
    seq         INTEGER NOT NULL
);

CREATE TABLE households (
    household_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    region_code  TEXT COLLATE "C" NOT NULL CHECK (length(region_code) = 12),
    area         TEXT CHECK (area IN ('urban', 'rural')),
    savings      BIGINT CHECK (savings >= 0),
    houses       BIGINT CHECK (houses BETWEEN 0 AND 4294967295),
    vehicles     BIGINT CHECK (vehicles BETWEEN 0 AND 4294967295),
    address      TEXT,
    extra        TEXT
);

CREATE TABLE persons (
    person_id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    household_id      TEXT COLLATE "C" NOT NULL,
    id_number         TEXT COLLATE "C" NOT NULL CHECK (length(id_number) = 18),
    name              TEXT NOT NULL,
    sex               TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date        DATE NOT NULL,
    relation          TEXT NOT NULL CHECK (relation IN ('head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other')),
    disability_grade  SMALLINT CHECK (disability_grade BETWEEN 0 AND 4),
    disability_kind   TEXT CHECK (disability_kind IN ('none', 'visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple')),
    self_care         TEXT CHECK (self_care IN ('full', 'partial', 'none')),
    employment        TEXT CHECK (employment IN ('employed', 'flexible', 'unemployed', 'retired', 'student', 'none')),
    wage_income       BIGINT CHECK (wage_income >= 0),
    business_income   BIGINT CHECK (business_income >= 0),
    property_income   BIGINT CHECK (property_income >= 0),
    transfer_income   BIGINT CHECK (transfer_income >= 0),
    illness           TEXT CHECK (illness IN ('none', 'chronic', 'severe')),
    capable_supporter BOOLEAN,
    orphan            BOOLEAN,
    deceased_on       DATE,
    extra             TEXT
);

CREATE TABLE hospital_stays (
    stay_id        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    person_id      TEXT COLLATE "C" NOT NULL,
    admit_date     DATE NOT NULL,
    discharge_date DATE NOT NULL,
    hospital_level TEXT NOT NULL CHECK (hospital_level IN ('1', '2', '3')),
    in_district    BOOLEAN NOT NULL,
    total_cost     BIGINT NOT NULL CHECK (total_cost >= 0),
    covered_cost   BIGINT NOT NULL CHECK (covered_cost >= 0),
    extra          TEXT
);

CREATE TABLE events (
    event_id     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    person_id    TEXT COLLATE "C",
    household_id TEXT COLLATE "C" NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('unemployment_registered', 'disability_certified', 'death', 'disaster_loss', 'large_expense', 'income_change')),
    date         DATE NOT NULL,
    amount       BIGINT CHECK (amount >= 0),
    note         TEXT,
    extra        TEXT
);

CREATE TABLE enrollments (
    household_id   TEXT COLLATE "C" NOT NULL,
    person_id      TEXT COLLATE "C" CHECK (person_id <> ''),
    -- person_id, or '' for a household-level program: a key column cannot be NULL,
    -- and NULLs would never conflict, so the same enrollment could be stored twice.
    person_key     TEXT COLLATE "C" NOT NULL CHECK (person_key = coalesce(person_id, '')),
    program        TEXT COLLATE "C" NOT NULL,
    since          DATE NOT NULL,
    monthly_amount BIGINT CHECK (monthly_amount >= 0),
    until          DATE,
    extra          TEXT,
    PRIMARY KEY (household_id, person_key, program)
);

-- The lookups later layers make: members of a household, stays of a person, households
-- of a village, events of a household, a person by ID number.
CREATE INDEX persons_household_id ON persons (household_id);
CREATE INDEX hospital_stays_person_id ON hospital_stays (person_id);
CREATE INDEX households_region_code ON households (region_code);
CREATE INDEX events_household_id ON events (household_id);
