-- The sla-timer keeps its commands' outcomes in `command_outcomes`, like the dispatcher: one table
-- for "each command has exactly one outcome".
DROP TABLE IF EXISTS sla_command_outcomes;
