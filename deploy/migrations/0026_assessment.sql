-- The assessment's appeals and awards (考核, docs/rules.md "Assessment"), kept by the escalation
-- notifier; `hotlinectl report --assessment` reads them.
--
-- An appeal (申诉, PL §31): a unit contests one ticket's counting in one indicator; upheld, the ticket
-- leaves that indicator for that unit (numerator and denominator). One appeal per unit, ticket and
-- indicator.
CREATE TABLE IF NOT EXISTS assessment_appeals (
    appeal_id       text PRIMARY KEY,
    unit            text NOT NULL,
    ticket_no       text NOT NULL REFERENCES tickets (ticket_no),
    indicator       text NOT NULL,
    reason          text NOT NULL,
    appealed_at     timestamptz NOT NULL,   -- the notifier's clock
    command_id      text NOT NULL,
    state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'dismissed')),
    decided_at      timestamptz,
    decision_note   text,
    decided_by      text,                   -- the center's operator, when named
    UNIQUE (unit, ticket_no, indicator)
);
CREATE INDEX IF NOT EXISTS assessment_appeals_upheld ON assessment_appeals (unit, ticket_no) WHERE state = 'upheld';

-- Points the center awards a unit (DY (15) 典型案例奖励加分), counted in the period of awarded_at.
CREATE TABLE IF NOT EXISTS assessment_awards (
    award_id        text PRIMARY KEY,
    unit            text NOT NULL,
    kind            text NOT NULL,
    ticket_no       text REFERENCES tickets (ticket_no),
    note            text NOT NULL,
    awarded_at      timestamptz NOT NULL,   -- the notifier's clock
    awarded_by      text,
    command_id      text NOT NULL
);
CREATE INDEX IF NOT EXISTS assessment_awards_awarded_at ON assessment_awards (awarded_at);
