-- Runtime tables: version-fenced grain state and durable reminders. Times are unix milliseconds.

CREATE TABLE grain_state (
    grain_type TEXT    NOT NULL,
    grain_key  TEXT    NOT NULL,
    state_name TEXT    NOT NULL,
    payload    TEXT    NULL,     -- JSON; NULL once cleared (the row and its version stay)
    version    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key, state_name)
) WITHOUT ROWID;

CREATE TABLE reminders (
    grain_type TEXT    NOT NULL,
    grain_key  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    start_at   INTEGER NOT NULL,
    period_ms  INTEGER NOT NULL CHECK (period_ms > 0),
    PRIMARY KEY (grain_type, grain_key, name)
) WITHOUT ROWID;
