-- Conclusion notices (事件终结告知书, PS §15(六)) filed by the units that handled a ticket to its end
-- (`unit.conclude-matter`, docs/rules.md "Intake"): one per ticket, kept as the center's file
-- (备案). Intake also records the concluded matter in `concluded_matters`, which its decisions read.
CREATE TABLE IF NOT EXISTS ticket_conclusions (
    ticket_no       text PRIMARY KEY REFERENCES tickets (ticket_no),
    unit            text NOT NULL,
    notice_no       text NOT NULL,
    issued_at       timestamptz NOT NULL,   -- the unit's word
    note            text,
    command_id      text NOT NULL,
    filed_at        timestamptz NOT NULL    -- intake's clock
);
