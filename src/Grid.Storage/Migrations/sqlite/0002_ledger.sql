-- Ledger tables: each account's snapshot fenced by its journal sequence, and the append-only journal.
-- Times are unix milliseconds. available, held and status repeat what the snapshot says, for operators
-- and verification queries; the snapshot (LedgerJson) is what the ledger loads.

-- A rowid table: the snapshot can be large (open holds), which WITHOUT ROWID tables store poorly.
CREATE TABLE accounts (
    account_id TEXT    NOT NULL PRIMARY KEY,
    sequence   INTEGER NOT NULL CHECK (sequence > 0), -- a row exists only once the account has an entry
    available  INTEGER NOT NULL,
    held       INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    snapshot   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

-- WITHOUT ROWID: rows live in the primary key's b-tree, so an append writes two b-trees, not three.
CREATE TABLE journal (
    account_id      TEXT    NOT NULL,
    sequence        INTEGER NOT NULL CHECK (sequence > 0),
    kind            TEXT    NOT NULL,
    amount          INTEGER NOT NULL,
    released        INTEGER NOT NULL,
    available_after INTEGER NOT NULL,
    held_after      INTEGER NOT NULL,
    operation_id    TEXT    NOT NULL,
    hold_id         TEXT    NULL,
    hold_amount     INTEGER NULL,
    hold_captured   INTEGER NULL,
    expires_at      INTEGER NULL,
    reference       TEXT    NULL,
    metadata        TEXT    NULL,
    request         TEXT    NOT NULL,
    at              INTEGER NOT NULL,
    PRIMARY KEY (account_id, sequence),
    UNIQUE (account_id, operation_id)
) WITHOUT ROWID;
