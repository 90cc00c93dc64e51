-- Cluster membership: one row per silo process. Times are unix milliseconds by the writing silo's clock.

CREATE TABLE membership (
    silo_id      text   PRIMARY KEY,
    name         text   NOT NULL,
    endpoint     text   NOT NULL,
    started_at   bigint NOT NULL,
    heartbeat_at bigint NOT NULL,
    status       text   NOT NULL CHECK (status IN ('active', 'leaving', 'dead'))
);
