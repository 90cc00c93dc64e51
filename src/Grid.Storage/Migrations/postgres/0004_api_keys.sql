-- API keys: only the SHA-256 of each key's secret is kept. Times are unix milliseconds.

CREATE TABLE api_keys (
    key_id       text   PRIMARY KEY,
    account_id   text   NOT NULL,
    name         text   NULL,
    scopes       text   NOT NULL,  -- space-separated: read, charge, admin
    secret_hash  text   NOT NULL,  -- hex of SHA-256(secret)
    created_at   bigint NOT NULL,
    last_used_at bigint NULL,
    revoked_at   bigint NULL
);

CREATE INDEX api_keys_by_account ON api_keys (account_id);
