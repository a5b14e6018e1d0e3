-- Supervision cases (督办, docs/rules.md "Supervision"), kept by the escalation notifier: opened by the
-- center (or by a red card where the profile says so), answered by the unit, escalated a level at a
-- time, closed, and referred to the discipline commission when closed with referral grounds.
CREATE TABLE IF NOT EXISTS supervisions (
    supervision_id  text PRIMARY KEY,
    unit            text NOT NULL,
    ticket_no       text REFERENCES tickets (ticket_no),
    ground          text NOT NULL,
    mode            text NOT NULL,
    level           int NOT NULL DEFAULT 1,
    state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'closed')),
    note            text NOT NULL,
    opened_at       timestamptz NOT NULL,   -- the notifier's clock, as every time here
    opened_by       text,                   -- the center's operator, when named
    answer_by       timestamptz NOT NULL,
    answered_at     timestamptz,
    answer          text,
    answered_on_time boolean,
    closed_at       timestamptz,
    closing_note    text,
    referral_grounds text[],                -- not empty: referred to the discipline commission
    card_quarter    text,                   -- opened by that quarter's red card
    steps           jsonb NOT NULL DEFAULT '[]',   -- each opening, answer, escalation and closing, in order
    command_id      text,
    UNIQUE (unit, card_quarter)
);
CREATE INDEX IF NOT EXISTS supervisions_open ON supervisions (answer_by) WHERE state <> 'closed';
