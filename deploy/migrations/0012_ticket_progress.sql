-- One writer for every table (docs/architecture.md "Tables"): intake writes `tickets`, whose `status`
-- is now only intake's decision (accepted, answered, rejected, merged, split). What happens to a
-- ticket after that (dispatched, manual, resolved, closed, dispatched again when reopened) is the
-- dispatcher's, in `ticket_progress`; the survey's verdict that closes a ticket reaches it as
-- `ticket.closed`. The view `ticket_status` gives where a ticket stands now.
CREATE TABLE IF NOT EXISTS ticket_progress (
    ticket_no  text PRIMARY KEY REFERENCES tickets (ticket_no),
    status     text NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Tickets the dispatcher and the survey moved before this migration.
INSERT INTO ticket_progress (ticket_no, status, updated_at)
SELECT ticket_no, status, updated_at FROM tickets WHERE status IN ('dispatched', 'manual', 'resolved', 'closed')
ON CONFLICT (ticket_no) DO NOTHING;

CREATE OR REPLACE VIEW ticket_status AS
SELECT t.ticket_no, coalesce(p.status, t.status) AS status, greatest(t.updated_at, p.updated_at) AS updated_at
FROM tickets t LEFT JOIN ticket_progress p USING (ticket_no);
