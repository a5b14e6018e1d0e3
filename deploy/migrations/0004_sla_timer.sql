-- SLA timer: durable timers, the deadline clocks they are planned from, extension requests, and one
-- stored outcome per extension command.

-- Durable timers ---------------------------------------------------------------------------------
-- One row per subject (an assignment, or a ticket for the center's dispatch deadline) and purpose
-- (`sign.breach`, `resolve.warning.1`, `resolve.overdue`, …). Any number of sla-timer copies claim the
-- due rows with FOR UPDATE SKIP LOCKED and mark them fired in the transaction that writes the event
-- to the outbox, so a timer fires once and a crash loses none. A poll reads the partial index on
-- due_at: its cost grows with the due rows, not with the pending ones.
CREATE TABLE sla_timers (
    id              bigserial PRIMARY KEY,
    subject         text NOT NULL,            -- assignment_id, or ticket_no for the dispatch deadline
    ticket_no       text,
    assignment_id   text,
    unit            text,
    deadline        text NOT NULL,            -- dispatch, sign, notify, feedback, resolve, follow_up
    action          text NOT NULL,            -- warning, breach, overdue (daily tick; stays pending, moves a day)
    purpose         text NOT NULL,
    due_at          timestamptz NOT NULL,     -- when it fires
    deadline_at     timestamptz NOT NULL,     -- the deadline it concerns (the events' due_at)
    days_overdue    integer,                  -- overdue: the whole days the next firing reports
    state           text NOT NULL DEFAULT 'pending',  -- pending, fired (cancelled timers are deleted)
    created_at      timestamptz NOT NULL,
    fired_at        timestamptz,              -- the last firing
    fired_count     integer NOT NULL DEFAULT 0,
    fired_by        text,                     -- host:pid of the sla-timer that fired it last
    event_id        text                      -- the event of the last firing
);
CREATE INDEX sla_timers_due ON sla_timers (due_at) WHERE state = 'pending';
CREATE UNIQUE INDEX sla_timers_pending_once ON sla_timers (subject, purpose) WHERE state = 'pending';
CREATE INDEX sla_timers_subject ON sla_timers (subject, purpose);
CREATE INDEX sla_timers_fired_age ON sla_timers (fired_at) WHERE state = 'fired';

-- What the timer knows about each subject's deadlines (HotlineDomain AssignmentClock / DispatchClock).
CREATE TABLE sla_clocks (
    subject         text PRIMARY KEY,         -- assignment_id, or ticket_no (kind dispatch)
    kind            text NOT NULL,            -- assignment | dispatch
    ticket_no       text NOT NULL,
    state           jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX sla_clocks_ticket ON sla_clocks (ticket_no);

-- Extensions (延期) --------------------------------------------------------------------------------
CREATE TABLE sla_extension_requests (
    request_id      text PRIMARY KEY,
    assignment_id   text NOT NULL,
    ticket_no       text NOT NULL,
    unit            text NOT NULL,
    working_days    integer NOT NULL,         -- asked
    grant_days      integer NOT NULL,         -- granted on approval (pingli: the original limit)
    reason          text NOT NULL,
    state           text NOT NULL,            -- pending, approved, denied
    command_id      text NOT NULL,
    requested_at    timestamptz NOT NULL,
    resolve_by_before timestamptz NOT NULL,
    resolve_by_after  timestamptz,
    decided_at      timestamptz,
    decision_id     text,                     -- the center.decide-extension command
    note            text
);
CREATE UNIQUE INDEX sla_extension_requests_one_pending ON sla_extension_requests (assignment_id) WHERE state = 'pending';
CREATE INDEX sla_extension_requests_assignment ON sla_extension_requests (assignment_id, requested_at);

-- One outcome per extension command: a repeated command gets the stored outcome again.
CREATE TABLE sla_command_outcomes (
    command_id      text PRIMARY KEY,         -- the command's message_id
    command_type    text NOT NULL,
    outcome_type    text NOT NULL,            -- assignment.extension-requested, assignment.extended, … or command.rejected
    event_id        text NOT NULL,
    outcome         bytea NOT NULL,           -- the outcome event as published
    recorded_at     timestamptz NOT NULL
);

-- The dispatcher's migration adds this too; here for a schema without it.
ALTER TABLE assignments ADD COLUMN IF NOT EXISTS extended boolean NOT NULL DEFAULT false;
