-- Survey (回访, docs/rules.md "Survey"; PS §20(一), PL §17-20, DY (10)-(11)): one row per citizen and round.
--
-- A `ticket.resolved` surveys the resolved ticket's citizen and the citizen of every ticket merged into
-- it (ticket_links), each with a survey of their own (`ticket_no` = the citizen's ticket, `handled_no` =
-- the ticket whose handling is rated). Round 1 follows the first resolution, round 2 the resolution
-- after a re-handling, and so on. The reports read this table: satisfaction = answered, counted,
-- not excluded, satisfied; `satisfied` stays NULL until answered and an expired survey is no response,
-- never satisfied. The unit(s) rated are in `units` (and in the handled ticket's assignments).
CREATE TABLE IF NOT EXISTS surveys (
    survey_id        text PRIMARY KEY,                -- SV-<ticket_no>-<round>
    ticket_no        text NOT NULL REFERENCES tickets (ticket_no),
    round            int NOT NULL DEFAULT 1,
    profile          text NOT NULL,
    status           text NOT NULL CHECK (status IN ('sent', 'answered', 'expired')),
    counted          boolean NOT NULL DEFAULT true,   -- false: mediation/law-enforcement items, excluded dissatisfactions
    satisfied        boolean,                         -- null until answered
    solved           boolean,
    excluded         boolean NOT NULL DEFAULT false,  -- the center excluded (核减) the dissatisfaction
    rehandle         boolean NOT NULL DEFAULT false,  -- this survey sent the ticket back for re-handling
    sent_at          timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    answered_at      timestamptz,
    ratings          jsonb,
    -- Beyond the shared shape:
    handled_no       text NOT NULL REFERENCES tickets (ticket_no),  -- the resolved ticket (= ticket_no unless merged)
    assignment_id    text,                            -- the assignment whose resolution was approved
    units            text[] NOT NULL DEFAULT '{}',    -- the units rated
    catalogue_excluded boolean NOT NULL DEFAULT false, -- the item is not chased for satisfaction (PS §20(一))
    contacted        boolean,
    wants_rehandling boolean,
    level            text,                            -- the satisfaction level (pingli, daye)
    comment          text,
    final            boolean NOT NULL DEFAULT false,  -- no further re-handling followed
    callback         boolean NOT NULL DEFAULT false,  -- the center was asked to call the citizen back (PL §20)
    invited          boolean NOT NULL DEFAULT false,  -- an SMS invitation went out (not for anonymous citizens)
    expired_at       timestamptz,
    excluded_at      timestamptz,
    exclusion_note   text,
    resolved_event   text NOT NULL                    -- the ticket.resolved event that started it
);
-- The expiry poller reads only the open surveys, by due time.
CREATE INDEX IF NOT EXISTS surveys_due ON surveys (expires_at) WHERE status = 'sent';
CREATE INDEX IF NOT EXISTS surveys_ticket ON surveys (ticket_no, round);
CREATE INDEX IF NOT EXISTS surveys_handled ON surveys (handled_no, round);
CREATE INDEX IF NOT EXISTS surveys_sent_at ON surveys (sent_at);
