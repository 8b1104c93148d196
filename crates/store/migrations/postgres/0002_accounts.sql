-- 0002 accounts: the users of the web application, their sessions and API tokens, and
-- the append-only, hash-chained audit log, PostgreSQL flavour.
--
-- Conventions (those of 0001; the SQLite migration of the same number follows them):
-- * Timestamps are TEXT, RFC 3339 UTC to the second ('2024-06-01T08:00:00Z'), not
--   TIMESTAMPTZ: the audit hash covers `at` as written, so it must come back byte for
--   byte, and both backends compare the same fixed-width text (text order is time order).
-- * Tokens are never stored, only the lowercase hex SHA-256 of them: a copy of the
--   database does not let anyone log in. Passwords are Argon2id PHC strings.
-- * Roles are stored as their codes and checked here (the six of model::access::Role).
-- * Counters are BIGINT, read as the same 64-bit integer as on SQLite.
-- * Names and codes use COLLATE "C", as in 0001.
-- * No FOREIGN KEY constraints, as in 0001: sessions of a deleted user are refused by
--   the application, which looks the user up on every request anyway.

CREATE TABLE users (
    username      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('community', 'street', 'county', 'planner', 'auditor', 'admin')),
    region_code   TEXT COLLATE "C" NOT NULL CHECK (length(region_code) = 12),
    display_name  TEXT NOT NULL,
    -- Consecutive failed logins since the last success or lock.
    failed_logins BIGINT NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until  TEXT COLLATE "C",
    created_at    TEXT COLLATE "C" NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE sessions (
    token_hash TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(token_hash) = 64),
    username   TEXT COLLATE "C" NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    -- IP address, or 'cli'.
    source     TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(token_hash) = 64),
    username   TEXT COLLATE "C" NOT NULL,
    label      TEXT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    -- NULL: valid until deleted.
    expires_at TEXT COLLATE "C"
);

-- Each entry's hash covers its fields and the previous entry's hash
-- (model::audit::chain_hash); seq runs 1, 2, 3 … without gaps.
CREATE TABLE audit_log (
    seq       BIGINT NOT NULL PRIMARY KEY CHECK (seq >= 1),
    at        TEXT COLLATE "C" NOT NULL,
    actor     TEXT COLLATE "C" NOT NULL,
    action    TEXT COLLATE "C" NOT NULL,
    target    TEXT COLLATE "C" NOT NULL,
    detail    TEXT NOT NULL,
    source    TEXT NOT NULL,
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash      TEXT NOT NULL CHECK (length(hash) = 64)
);

-- Append-only. The triggers stop mistakes and tools that would edit the log; they do not
-- stop the table's owner, who can drop them first. That is what the hash chain is for:
-- `minsheng audit verify` names the first entry that no longer fits.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计日志只能追加 / audit_log is append-only: % refused', TG_OP;
END
$$;

CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The audit pages filter by actor and by action, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
