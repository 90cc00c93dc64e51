-- Guest and wallet tokens are signed, not stored: revoking them is a time per account before which every token
-- issued for it is refused. not_before is unix milliseconds and only moves forward.

CREATE TABLE token_revocations (
    account_id text   PRIMARY KEY,
    not_before bigint NOT NULL
);
