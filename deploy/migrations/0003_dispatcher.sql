-- Dispatcher: the assignment lifecycle (sign, citizen notices, returns, resolutions, stage
-- resolutions, reopen) and one stored outcome per command.

-- What the lifecycle remembers about an assignment ---------------------------------------------

ALTER TABLE assignments
    ADD COLUMN IF NOT EXISTS extended           boolean NOT NULL DEFAULT false, -- set by the sla-timer when an extension is granted
    ADD COLUMN IF NOT EXISTS return_denied      boolean NOT NULL DEFAULT false, -- a return was denied: it may not be asked again
    ADD COLUMN IF NOT EXISTS overdue_return     boolean NOT NULL DEFAULT false, -- returned after the window (counted in reports)
    ADD COLUMN IF NOT EXISTS resume_state       text,                          -- under review: the state to go back to
    ADD COLUMN IF NOT EXISTS review_kind        text,                          -- resolution_submitted: final | stage
    ADD COLUMN IF NOT EXISTS review_started_at  timestamptz,                   -- when the pending review began
    ADD COLUMN IF NOT EXISTS signed_at          timestamptz,
    ADD COLUMN IF NOT EXISTS auto_signed        boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS notified_at        timestamptz,                   -- the acceptance notice (受理告知)
    ADD COLUMN IF NOT EXISTS part_reported_at   timestamptz,                   -- a co-unit reported its part to the lead
    ADD COLUMN IF NOT EXISTS part_result        text,
    ADD COLUMN IF NOT EXISTS follow_up_by       timestamptz,                   -- stage-resolved: the follow-up deadline
    ADD COLUMN IF NOT EXISTS approval_level     text,                          -- stage resolution: unit_deputy_head | unit_head | district_leader
    ADD COLUMN IF NOT EXISTS reopen_count       integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS dispatch_mode      text,                          -- sole, lead_co, parallel, first_responsible, territorial, catalogue
    ADD COLUMN IF NOT EXISTS ended_at           timestamptz;

CREATE INDEX IF NOT EXISTS assignments_live ON assignments (ticket_no)
    WHERE state IN ('pending', 'signed', 'return_requested', 'resolution_submitted', 'stage_resolved');

-- One outcome per command: a repeated command gets the stored outcome again ---------------------

CREATE TABLE IF NOT EXISTS command_outcomes (
    command_id      text PRIMARY KEY,         -- the command's message_id
    command_type    text NOT NULL,            -- as sent (routing key)
    user_id         text,
    outcome_type    text NOT NULL,            -- the event type, e.g. assignment.signed or command.rejected
    outcome         bytea NOT NULL,           -- the outcome event as published
    ticket_no       text,
    assignment_id   text,
    received_at     timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS command_outcomes_ticket ON command_outcomes (ticket_no);

-- The units' actions, kept whole for audits and reports ----------------------------------------

CREATE TABLE IF NOT EXISTS citizen_notices (
    id              bigserial PRIMARY KEY,
    assignment_id   text NOT NULL REFERENCES assignments (assignment_id),
    stage           text NOT NULL,            -- acceptance | progress
    method          text NOT NULL,
    at              timestamptz NOT NULL,     -- when the unit told the citizen
    command_id      text NOT NULL,
    recorded_at     timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS citizen_notices_assignment ON citizen_notices (assignment_id);

CREATE TABLE IF NOT EXISTS return_requests (
    id              bigserial PRIMARY KEY,
    assignment_id   text NOT NULL REFERENCES assignments (assignment_id),
    reason_code     text NOT NULL,
    reason          text NOT NULL,
    basis           text NOT NULL,
    suggested_unit  text,
    late            boolean NOT NULL,
    requested_at    timestamptz NOT NULL,
    command_id      text NOT NULL,
    decided_at      timestamptz,
    approved        boolean,
    reassign_to     text,
    note            text,
    decision_id     text
);
CREATE INDEX IF NOT EXISTS return_requests_assignment ON return_requests (assignment_id);

CREATE TABLE IF NOT EXISTS resolutions (
    id              bigserial PRIMARY KEY,
    assignment_id   text NOT NULL REFERENCES assignments (assignment_id),
    kind            text NOT NULL,            -- final | stage | part
    outcome         text,                     -- final: resolved | explained | not_adopted
    reply           text,
    handled_at      timestamptz,
    handler         text,
    basis           text,
    attachments     jsonb,
    reason          text,                     -- stage: why it cannot be finished now
    progress        text,
    plan            text,
    follow_up_by    timestamptz,
    approval_level  text,
    result          text,                     -- part: the co-unit's result for the lead
    submitted_at    timestamptz NOT NULL,
    command_id      text NOT NULL,
    decided_at      timestamptz,
    approved        boolean,
    note            text,
    decision_id     text
);
CREATE INDEX IF NOT EXISTS resolutions_assignment ON resolutions (assignment_id, id);
