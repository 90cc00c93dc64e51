-- Casts as their grains and the casts' sweeper see them: one row per cast, written in the transaction of the journal
-- entry that moved its money (or alone when none did). stage only grows (0 running, 1 ending, 2 ended); due_at is
-- unix milliseconds, when the sweeper should look at the cast, and NULL once it has ended; payload is opaque JSON.

CREATE TABLE casts (
    cast_id    text    PRIMARY KEY,
    account_id text    NOT NULL,
    stage      integer NOT NULL,
    due_at     bigint  NULL,
    payload    text    NOT NULL,
    updated_at bigint  NOT NULL
);

-- The sweeper's scan, earliest first; ended casts (most rows, in time) are not in it.
CREATE INDEX casts_due ON casts (due_at, cast_id) WHERE due_at IS NOT NULL;
