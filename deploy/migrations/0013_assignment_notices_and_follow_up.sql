-- The dispatcher plans every deadline of an assignment (docs/architecture.md "Single ownership"). A
-- denied return moves the deadlines the unit has not met yet, so its row records the first progress
-- notice (feedback) as it records the acceptance notice (`notified_at`); and `follow_up_by` is the
-- stage resolution's follow-up date only while it is followed up: a reopen ends it.
ALTER TABLE assignments ADD COLUMN IF NOT EXISTS feedback_at timestamptz;
COMMENT ON COLUMN assignments.feedback_at IS 'the first progress notice (feedback) to the citizen';

UPDATE assignments a SET feedback_at = notice.at
FROM (SELECT assignment_id, min(at) AS at FROM citizen_notices WHERE stage = 'progress' GROUP BY assignment_id) notice
WHERE a.assignment_id = notice.assignment_id AND a.feedback_at IS NULL;

-- Assignments reopened after a stage resolution before this migration kept its date.
UPDATE assignments SET follow_up_by = NULL
WHERE follow_up_by IS NOT NULL AND reopen_count > 0
  AND state IN ('pending', 'signed', 'return_requested', 'resolution_submitted')
  AND resume_state IS DISTINCT FROM 'stage_resolved';
