-- Sign-In with Ethereum nonces: issued to anyone, each usable once before it expires. A use deletes the
-- row; expired rows are purged. Times are unix milliseconds.

CREATE TABLE siwe_nonces (
    nonce      TEXT    PRIMARY KEY,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX siwe_nonces_by_expiry ON siwe_nonces (expires_at);
