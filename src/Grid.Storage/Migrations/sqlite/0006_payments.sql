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

-- Led by source, so a look-up stays an index probe even under statistics taken while the table was empty.
CREATE INDEX processed_events_payment ON processed_events (source, payment_id);
-- Unmatched events by the object their payment will claim, and a payment found from an object when the link
-- below is missing (links are written without waiting for the disk; the event rows are the durable record).
CREATE INDEX processed_events_object ON processed_events (source, object_ref);

CREATE TABLE payment_links (
    object_id  text NOT NULL PRIMARY KEY,
    payment_id text NOT NULL
);
