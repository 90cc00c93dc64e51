-- Sign-In with Ethereum nonces that have been used. Nonces themselves are signed and carry their expiry, so
-- issuing one writes nothing; a use inserts its row (the primary key makes a second use fail), and rows are
-- purged once the nonce has expired. Times are unix milliseconds.

CREATE TABLE siwe_nonces (
    nonce      text   PRIMARY KEY,
    issued_at  bigint NOT NULL,  -- when it was used
    expires_at bigint NOT NULL
);

CREATE INDEX siwe_nonces_by_expiry ON siwe_nonces (expires_at);
