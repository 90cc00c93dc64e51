-- What metered work used and cost: one row per cast (and per session checkpoint), written when it ends, summed by
-- GET /v1/accounts/{id}/usage. at is unix milliseconds; provider_cost a decimal as text (exact), NULL when unknown.

CREATE TABLE usage_records (
    source        text   NOT NULL,
    source_id     text   NOT NULL,
    account_id    text   NOT NULL,
    kind          text   NULL,
    units         bigint NOT NULL,
    provider_cost text   NULL,
    user_price    bigint NOT NULL,
    status        text   NOT NULL,
    at            bigint NOT NULL,
    PRIMARY KEY (source, source_id)
);

CREATE INDEX usage_records_account ON usage_records (account_id, at);
