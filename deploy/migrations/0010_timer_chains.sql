-- Each deadline arms only its next firing; its later firings (the second warning, the breach, the
-- overdue tick) wait in that timer's row and are armed when it fires (HotlineDomain TimerChain). Most
-- deadlines are met or moved before their first warning, so most later firings are never written as
-- timers of their own. Timers armed before this migration have no later firings and fire as they are;
-- a subject's next event re-arms them as chains.
ALTER TABLE sla_timers ADD COLUMN IF NOT EXISTS later jsonb;   -- JSON array of later firings, instants in seconds since 1970
