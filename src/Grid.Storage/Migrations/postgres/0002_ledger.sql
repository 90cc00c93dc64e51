-- Ledger tables: each account's snapshot fenced by its journal sequence, and the append-only journal.
-- Times are unix milliseconds. available, held and status repeat what the snapshot says, for operators
-- and verification queries; the snapshot (LedgerJson) is what the ledger loads.

CREATE TABLE accounts (
    account_id text   NOT NULL PRIMARY KEY,
    sequence   bigint NOT NULL CHECK (sequence > 0), -- a row exists only once the account has an entry
    available  bigint NOT NULL,
    held       bigint NOT NULL,
    status     text   NOT NULL,
    snapshot   text   NOT NULL,
    updated_at bigint NOT NULL
) WITH (fillfactor = 80); -- every append rewrites the row; free room on the page keeps updates HOT

CREATE TABLE journal (
    account_id      text   NOT NULL,
    sequence        bigint NOT NULL CHECK (sequence > 0),
    kind            text   NOT NULL,
    amount          bigint NOT NULL,
    released        bigint NOT NULL,
    available_after bigint NOT NULL,
    held_after      bigint NOT NULL,
    operation_id    text   NOT NULL,
    hold_id         text   NULL,
    hold_amount     bigint NULL,
    hold_captured   bigint NULL,
    expires_at      bigint NULL,
    reference       text   NULL,
    metadata        text   NULL,
    request         text   NOT NULL,
    at              bigint NOT NULL,
    PRIMARY KEY (account_id, sequence),
    UNIQUE (account_id, operation_id)
);
