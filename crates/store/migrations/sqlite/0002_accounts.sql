-- 0002 accounts: the users of the web application, their sessions and API tokens, and
-- the append-only, hash-chained audit log, SQLite flavour.
--
-- Conventions (those of 0001, and the PostgreSQL migration of the same number says the
-- same in its types):
-- * Timestamps are TEXT, RFC 3339 UTC to the second ('2024-06-01T08:00:00Z'): fixed
--   width, so text order is time order and `expires_at <= ?` compares moments. The
--   audit hash covers `at` as written, so it must come back byte for byte.
-- * Tokens are never stored, only the lowercase hex SHA-256 of them: a copy of the
--   database does not let anyone log in. Passwords are Argon2id PHC strings.
-- * Roles are stored as their codes and checked here (the six of model::access::Role).
-- * No FOREIGN KEY constraints, as in 0001: sessions of a deleted user are refused by
--   the application, which looks the user up on every request anyway.

CREATE TABLE users (
    username      TEXT NOT NULL PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (
        role = 'community' OR role = 'street' OR role = 'county'
        OR role = 'planner' OR role = 'auditor' OR role = 'admin'),
    region_code   TEXT NOT NULL CHECK (length(region_code) = 12),
    display_name  TEXT NOT NULL,
    -- Consecutive failed logins since the last success or lock.
    failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until  TEXT,
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
    token_hash TEXT NOT NULL PRIMARY KEY CHECK (length(token_hash) = 64),
    username   TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    -- IP address, or 'cli'.
    source     TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE api_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY CHECK (length(token_hash) = 64),
    username   TEXT NOT NULL,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- NULL: valid until deleted.
    expires_at TEXT
) STRICT, WITHOUT ROWID;

-- Each entry's hash covers its fields and the previous entry's hash
-- (model::audit::chain_hash); seq runs 1, 2, 3 … without gaps. A rowid table: seq is
-- the integer key, appended in order.
CREATE TABLE audit_log (
    seq       INTEGER NOT NULL PRIMARY KEY CHECK (seq >= 1),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    source    TEXT NOT NULL,
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash      TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;

-- Append-only. These triggers stop mistakes and tools that would edit the log; they do
-- not stop someone who can write to the file, who can drop them first. That is what the
-- hash chain is for: `minsheng audit verify` names the first entry that no longer fits.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '审计日志只能追加，不能修改 / audit_log is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '审计日志只能追加，不能删除 / audit_log is append-only: DELETE refused');
END;

-- The audit pages filter by actor and by action, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
