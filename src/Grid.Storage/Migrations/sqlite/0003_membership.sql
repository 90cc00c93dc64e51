-- Cluster membership (clusters run on PostgreSQL; the table is here so both dialects share versions).

CREATE TABLE membership (
    silo_id      TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL,
    endpoint     TEXT    NOT NULL,
    started_at   INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('active', 'leaving', 'dead'))
);
