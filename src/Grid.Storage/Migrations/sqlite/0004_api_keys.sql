-- API keys: only the SHA-256 of each key's secret is kept. Times are unix milliseconds.

CREATE TABLE api_keys (
    key_id       TEXT    PRIMARY KEY,
    account_id   TEXT    NOT NULL,
    name         TEXT    NULL,
    scopes       TEXT    NOT NULL,  -- space-separated: read, charge, admin
    secret_hash  TEXT    NOT NULL,  -- hex of SHA-256(secret)
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NULL,
    revoked_at   INTEGER NULL
);

CREATE INDEX api_keys_by_account ON api_keys (account_id);
