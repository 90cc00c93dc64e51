-- Rail events the grid has handled (one row per event id: the deduplication record, written in the same
-- transaction as the journal entry the event caused) and the links from rail objects to payments.
-- payment_id is NULL for an event no payment was found for: kept for review, and adopted by its payment
-- if one later claims its object_ref (a PaymentIntent id learned after the event arrived).

CREATE TABLE processed_events (
    source     text   NOT NULL,
    event_id   text   NOT NULL,
    type       text   NOT NULL,
    payment_id text   NULL,
    object_ref text   NULL,
    outcome    text   NOT NULL,
    payload    text   NOT NULL,
    at         bigint NOT NULL,
    PRIMARY KEY (source, event_id)
);

CREATE INDEX processed_events_payment ON processed_events (payment_id);
CREATE INDEX processed_events_unmatched ON processed_events (object_ref) WHERE payment_id IS NULL;

CREATE TABLE payment_links (
    object_id  text NOT NULL PRIMARY KEY,
    payment_id text NOT NULL
);
