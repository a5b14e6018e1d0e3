-- Foundation: reference data, the reliable-messaging tables, tickets and assignments.

-- Reference data -------------------------------------------------------------------------------

CREATE TABLE jurisdiction (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    profile     text NOT NULL,
    document    jsonb NOT NULL,          -- the whole jurisdiction file, as loaded
    loaded_at   timestamptz NOT NULL
);

CREATE TABLE units (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL,
    active      boolean NOT NULL DEFAULT true
);

CREATE TABLE calendar_years (
    year        integer PRIMARY KEY,
    document    jsonb NOT NULL,          -- the calendar file that covers the year
    loaded_at   timestamptz NOT NULL
);

-- Reliable messaging ---------------------------------------------------------------------------

-- Every message a state change causes, written in the same transaction; relays publish them.
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    exchange        text NOT NULL,
    routing_key     text NOT NULL,
    message_id      text NOT NULL,
    type            text NOT NULL,
    correlation_id  text,
    mandatory       boolean NOT NULL DEFAULT false,
    body            bytea NOT NULL,
    created_at      timestamptz NOT NULL,
    available_at    timestamptz NOT NULL,  -- not before; pushed back while claimed or after a failure
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    published_at    timestamptz
);
CREATE INDEX outbox_pending ON outbox (available_at, id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

-- The messages each consumer has applied: the deduplication of at-least-once delivery.
CREATE TABLE processed_messages (
    consumer        text NOT NULL,
    message_id      text NOT NULL,
    processed_at    timestamptz NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX processed_messages_age ON processed_messages (processed_at);

-- Messages that could not be read at all (not UTF-8, not JSON, too large), kept whole.
CREATE TABLE invalid_messages (
    id              bigserial PRIMARY KEY,
    consumer        text NOT NULL,
    message_id      text,
    type            text,
    routing_key     text NOT NULL,
    user_id         text,
    body            bytea NOT NULL,
    errors          jsonb NOT NULL,
    received_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX invalid_messages_once ON invalid_messages (consumer, message_id) WHERE message_id IS NOT NULL;

-- Tickets --------------------------------------------------------------------------------------

CREATE TABLE ticket_sequences (
    prefix      text NOT NULL,
    day         date NOT NULL,
    last_value  integer NOT NULL,
    PRIMARY KEY (prefix, day)
);

-- One row per submission: its outcome, so that the same submission gets the same answer again.
CREATE TABLE submissions (
    submission_id   text PRIMARY KEY,
    message_id      text,
    outcome_type    text NOT NULL,
    outcome         bytea NOT NULL,       -- the outcome event as published
    ticket_no       text,
    received_at     timestamptz NOT NULL
);

CREATE TABLE tickets (
    ticket_no       text PRIMARY KEY,
    submission_id   text NOT NULL,
    parent_no       text REFERENCES tickets (ticket_no),
    merged_into     text REFERENCES tickets (ticket_no),
    status          text NOT NULL,        -- accepted, dispatched, manual, answered, rejected, merged, split, resolved, closed
    channel         text NOT NULL,
    kind            text NOT NULL,
    urgency         text NOT NULL,
    category        text,
    title           text,
    description     text NOT NULL,
    street          text,
    community       text,
    location        jsonb,
    citizen         jsonb NOT NULL,       -- personal data: only for the units handling the ticket
    classification  jsonb NOT NULL DEFAULT '{}'::jsonb,
    rejection       jsonb,
    received_at     timestamptz NOT NULL,
    accepted_at     timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX tickets_submission ON tickets (submission_id);
CREATE INDEX tickets_received ON tickets (received_at);
CREATE INDEX tickets_open_place ON tickets (category, street, community) WHERE status IN ('accepted', 'dispatched', 'manual');

-- Everything that happened to a ticket, for `hotlinectl ticket show` and audits.
CREATE TABLE ticket_history (
    id          bigserial PRIMARY KEY,
    ticket_no   text NOT NULL REFERENCES tickets (ticket_no),
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX ticket_history_ticket ON ticket_history (ticket_no, id);

CREATE TABLE assignments (
    assignment_id       text PRIMARY KEY,
    ticket_no           text NOT NULL REFERENCES tickets (ticket_no),
    unit                text NOT NULL,
    role                text NOT NULL,
    state               text NOT NULL,    -- dispatched, signed, return_requested, resolution_submitted, resolved, cancelled, returned
    lead_unit           text,
    co_units            text[] NOT NULL DEFAULT '{}',
    deadlines           jsonb NOT NULL,
    return_allowed      boolean NOT NULL,
    extension_allowed   boolean NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX assignments_ticket ON assignments (ticket_no);
CREATE INDEX assignments_unit_state ON assignments (unit, state);
-- At most one live assignment of a ticket per unit, whatever races or redeliveries happen.
CREATE UNIQUE INDEX assignments_live_per_unit ON assignments (ticket_no, unit)
    WHERE state NOT IN ('cancelled', 'returned');
