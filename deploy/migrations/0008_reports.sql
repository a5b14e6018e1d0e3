-- Reports (`hotlinectl report`): indexes on the time column each report query reads by range, so
-- that a year of data is read by an index range scan per query, never a scan per unit. No new facts.
CREATE INDEX IF NOT EXISTS intake_demands_received ON intake_demands (received_at);
CREATE INDEX IF NOT EXISTS assignments_created ON assignments (created_at);
CREATE INDEX IF NOT EXISTS assignments_unit_created ON assignments (unit, created_at);
CREATE INDEX IF NOT EXISTS return_requests_requested ON return_requests (requested_at);
CREATE INDEX IF NOT EXISTS sla_extension_requests_requested ON sla_extension_requests (requested_at);
CREATE INDEX IF NOT EXISTS ticket_history_action_at ON ticket_history (action, at);
CREATE INDEX IF NOT EXISTS resolutions_assignment_kind ON resolutions (assignment_id, kind) WHERE approved;

-- The survey table comes with the survey service's migration (0007), which indexes sent_at itself
-- (same name here: nothing is created twice); kept for a schema where it does not.
DO $$
BEGIN
    IF to_regclass('public.surveys') IS NOT NULL THEN
        CREATE INDEX IF NOT EXISTS surveys_sent_at ON surveys (sent_at);
    END IF;
END
$$;
