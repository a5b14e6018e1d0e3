-- The knowledge base (知识库, docs/rules.md "Knowledge base"; PS §22, ZS §34, PL §21), owned by the
-- knowledge service: each unit's entries, every revision drafted and reviewed, the center's flags with
-- their correction deadlines, and the consultations answered on the call with an entry.

-- One row per entry; its content is the published revision (`published_revision`).
CREATE TABLE IF NOT EXISTS knowledge_entries (
    knowledge_id       text PRIMARY KEY,            -- KB-000042
    number             bigserial UNIQUE,            -- the number in the id
    unit               text NOT NULL,               -- the unit that provides it and answers for it
    kind               text NOT NULL,               -- policy, guide, qa, notice
    state              text NOT NULL,               -- draft (never published), published, withdrawn
    published_revision integer,                     -- the revision in force (searches read it)
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    withdrawn_at       timestamptz,
    withdrawn_by       text,                        -- the unit's reviewer
    withdraw_reason    text
);
CREATE INDEX IF NOT EXISTS knowledge_entries_unit ON knowledge_entries (unit, state);

-- Every revision: drafted by the unit's editor, reviewed by its reviewer (谁提供谁审核谁负责).
CREATE TABLE IF NOT EXISTS knowledge_revisions (
    knowledge_id       text NOT NULL REFERENCES knowledge_entries (knowledge_id),
    revision           integer NOT NULL,
    state              text NOT NULL,               -- draft, published, rejected, superseded
    kind               text NOT NULL,
    title              text NOT NULL,
    body               text NOT NULL,
    keywords           text[] NOT NULL DEFAULT '{}',
    category           text,
    effective_from     timestamptz,                 -- absent: when published
    valid_until        timestamptz,
    public_interest    boolean NOT NULL DEFAULT false,
    editor             text NOT NULL,
    drafted_at         timestamptz NOT NULL,
    draft_command_id   text NOT NULL,
    reviewer           text,
    reviewed_at        timestamptz,
    review_note        text,
    report_timing      text,                        -- public-interest policies: on_time, late, early
    working_days_ahead integer,
    PRIMARY KEY (knowledge_id, revision)
);
CREATE UNIQUE INDEX IF NOT EXISTS knowledge_revisions_one_draft ON knowledge_revisions (knowledge_id) WHERE state = 'draft';
CREATE INDEX IF NOT EXISTS knowledge_revisions_reviewed ON knowledge_revisions (reviewed_at) WHERE reviewed_at IS NOT NULL;

-- The center's flags (核查存在错漏) and their corrections within the profile's limit.
CREATE TABLE IF NOT EXISTS knowledge_corrections (
    correction_id      text PRIMARY KEY,            -- KB-000042-C1
    knowledge_id       text NOT NULL REFERENCES knowledge_entries (knowledge_id),
    unit               text NOT NULL,
    problem            text NOT NULL,
    operator           text,                        -- who at the center flagged it
    flagged_at         timestamptz NOT NULL,
    due_at             timestamptz NOT NULL,
    state              text NOT NULL,               -- open, corrected, withdrawn
    corrected_at       timestamptz,
    corrected_revision integer,
    on_time            boolean
);
CREATE UNIQUE INDEX IF NOT EXISTS knowledge_corrections_one_open ON knowledge_corrections (knowledge_id) WHERE state = 'open';
CREATE INDEX IF NOT EXISTS knowledge_corrections_flagged ON knowledge_corrections (flagged_at);

-- Consultations answered on the call with an entry (ticket.answered's knowledge_id).
CREATE TABLE IF NOT EXISTS knowledge_uses (
    ticket_no          text PRIMARY KEY,
    knowledge_id       text NOT NULL,               -- as the gateway gave it (it may name no entry)
    revision           integer,                     -- the revision in force when the call was answered
    unit               text,                        -- the entry's unit; absent for an unknown entry
    in_force           boolean NOT NULL,            -- the entry was published and valid then
    answered_at        timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS knowledge_uses_answered ON knowledge_uses (answered_at);
