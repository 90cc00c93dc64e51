-- Runtime tables: version-fenced grain state and durable reminders. Times are unix milliseconds.

CREATE TABLE grain_state (
    grain_type text   NOT NULL,
    grain_key  text   NOT NULL,
    state_name text   NOT NULL,
    payload    text   NULL,     -- JSON; NULL once cleared (the row and its version stay)
    version    bigint NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (grain_type, grain_key, state_name)
);

CREATE TABLE reminders (
    grain_type text   NOT NULL,
    grain_key  text   NOT NULL,
    name       text   NOT NULL,
    start_at   bigint NOT NULL,
    period_ms  bigint NOT NULL CHECK (period_ms > 0),
    PRIMARY KEY (grain_type, grain_key, name)
);
