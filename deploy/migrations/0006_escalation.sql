-- Escalation notifier (issue #6): overdue tiers, early warnings, notifications, quarterly cards.
-- Every time written is the notifier's clock (a parameter), never now().

-- Each overdue tier once per assignment (PS §19).
CREATE TABLE IF NOT EXISTS escalations (
    assignment_id   text NOT NULL,
    ticket_no       text,
    unit            text,
    tier            int NOT NULL,
    deadline        text NOT NULL,
    days_overdue    int NOT NULL,
    recipients      jsonb NOT NULL,
    event_id        text NOT NULL,
    raised_at       timestamptz NOT NULL,
    PRIMARY KEY (assignment_id, tier)
);
CREATE INDEX IF NOT EXISTS escalations_unit ON escalations (unit, raised_at);

-- Tickets resolved or closed: a later overdue tick escalates no further. Reopening removes the row.
CREATE TABLE IF NOT EXISTS escalation_stops (
    ticket_no       text PRIMARY KEY,
    reason          text NOT NULL,
    stopped_at      timestamptz NOT NULL
);

-- Assignments that passed an escalating deadline unmet (the breach of the resolve or follow-up
-- deadline), for the quarterly cards: counted in the quarter of the deadline.
CREATE TABLE IF NOT EXISTS overdue_assignments (
    assignment_id   text NOT NULL,
    deadline        text NOT NULL,
    ticket_no       text,
    unit            text NOT NULL,
    deadline_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    PRIMARY KEY (assignment_id, deadline, deadline_at)
);
CREATE INDEX IF NOT EXISTS overdue_assignments_unit ON overdue_assignments (unit, deadline_at);

-- Early warnings, once per window key (PS §17).
CREATE TABLE IF NOT EXISTS alerts (
    alert_id        text PRIMARY KEY,
    alert_kind      text NOT NULL,
    window_key      text NOT NULL UNIQUE,
    ticket_no       text,
    category        text,
    street          text,
    community       text,
    units           text[] NOT NULL DEFAULT '{}',
    count           int,
    window_start    timestamptz,
    raised_at       timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_raised ON alerts (raised_at);

-- Every notification, once per dedup_key; published at once or, in quiet hours, by the release
-- poller once send_after has come (FOR UPDATE SKIP LOCKED, the notifier's clock).
CREATE TABLE IF NOT EXISTS notifications (
    dedup_key       text PRIMARY KEY,
    notification_id text NOT NULL UNIQUE,
    channel         text NOT NULL,
    audience        text NOT NULL,
    routing_key     text NOT NULL,
    template        text NOT NULL,
    ticket_no       text,
    urgent          boolean NOT NULL DEFAULT false,
    body            bytea NOT NULL,         -- the notification as published
    created_at      timestamptz NOT NULL,
    send_after      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX IF NOT EXISTS notifications_waiting ON notifications (send_after) WHERE sent_at IS NULL;

-- Quarterly cards (PS §20(二)); recomputation inserts nothing twice.
CREATE TABLE IF NOT EXISTS cards (
    unit            text NOT NULL,
    quarter         text NOT NULL,
    color           text NOT NULL CHECK (color IN ('yellow', 'red')),
    overdue         int NOT NULL,
    shirked         int NOT NULL,
    reason          text,
    event_id        text NOT NULL,
    issued_at       timestamptz NOT NULL,
    PRIMARY KEY (unit, quarter, color)
);

-- Quarters whose cards were computed at the quarter's end (by the notifier) or on demand.
CREATE TABLE IF NOT EXISTS card_runs (
    quarter         text PRIMARY KEY,
    computed_at     timestamptz NOT NULL,
    computed_by     text NOT NULL
);

-- The early warnings count intake's demands by category and community within a window (hotspot,
-- high frequency); the citizen's demands use intake_demands_citizen.
CREATE INDEX IF NOT EXISTS intake_demands_category_community ON intake_demands (category, community, received_at);
