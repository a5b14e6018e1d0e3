-- Intake: what the acceptance rules need and keep (docs/rules.md "Intake").
--   intake_demands     one row per ticket intake made: the place and citizen key it was compared by,
--                      and the repeat counts for the escalation service's repeat-caller and hotspot alerts
--   ticket_links       citizens linked to an earlier ticket by a merge (并案), for the survey and notices
--   concluded_matters  matters concluded with a conclusion notice (事件终结告知书, PS §15(六))

-- The pseudonymous key of a citizen's phone number; the same as HotlineDomain's CitizenKey.of(phone:):
-- the SHA-256 (hex) of "phone:" and the number's ASCII digits, without a 0086/86 country prefix,
-- with the leading 0 of a landline restored. NULL when the number has no digits.
CREATE FUNCTION hotline_citizen_key(phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN d = '' THEN NULL
                ELSE encode(sha256(convert_to('phone:' || CASE WHEN left(d, 1) IN ('0', '1') THEN d ELSE '0' || d END,
                                              'UTF8')), 'hex') END
    FROM (SELECT CASE WHEN x LIKE '0086%' THEN substr(x, 5) WHEN x LIKE '86%' THEN substr(x, 3) ELSE x END AS d
          FROM (SELECT regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') AS x) digits) canonical
$$;

CREATE TABLE intake_demands (
    ticket_no       text PRIMARY KEY REFERENCES tickets (ticket_no),
    submission_id   text NOT NULL,
    outcome         text NOT NULL,        -- accepted, merged, answered, rejected, split (the parent), child
    citizen_key     text,                 -- hotline_citizen_key(phone); NULL for an anonymous citizen without one
    category        text,
    street          text,
    community       text,
    address_norm    text,                 -- trimmed, whitespace collapsed, full-width folded, no trailing punctuation
    lat             double precision,
    lon             double precision,
    received_at     timestamptz NOT NULL,
    day             date NOT NULL,        -- received_at's date in the jurisdiction's time zone
    parent_no       text,
    merged_into     text
);
CREATE INDEX intake_demands_citizen ON intake_demands (citizen_key, category, received_at) WHERE citizen_key IS NOT NULL;
CREATE INDEX intake_demands_place ON intake_demands (category, street, community, address_norm);
CREATE INDEX intake_demands_area ON intake_demands (street, community, category, received_at);
CREATE INDEX intake_demands_position ON intake_demands (category, lat, lon) WHERE lat IS NOT NULL;

-- Repeat counts per local day (DY (12): one citizen 3+ times a month; 3+ citizens on the same problem).
-- Only demands that are being handled count: accepted tickets, split children and merged ones.
-- Over any window, straight from the table (both indexed):
--   repeat caller: SELECT count(*) FROM intake_demands WHERE citizen_key = $1 AND category = $2
--                    AND received_at > $3 AND outcome IN ('accepted', 'child', 'merged')
--   hotspot:       SELECT count(DISTINCT coalesce(citizen_key, 'ticket:' || ticket_no)) FROM intake_demands
--                  WHERE street = $1 AND community = $2 AND category = $3 AND received_at > $4
--                    AND outcome IN ('accepted', 'child', 'merged')
CREATE VIEW repeat_counts_citizen AS
    SELECT citizen_key, category, day, count(*) AS demands
    FROM intake_demands
    WHERE citizen_key IS NOT NULL AND category IS NOT NULL AND outcome IN ('accepted', 'child', 'merged')
    GROUP BY citizen_key, category, day;

CREATE VIEW repeat_counts_place AS
    SELECT street, community, category, day, count(*) AS demands,
           count(DISTINCT coalesce(citizen_key, 'ticket:' || ticket_no)) AS citizens
    FROM intake_demands
    WHERE category IS NOT NULL AND street IS NOT NULL AND outcome IN ('accepted', 'child', 'merged')
    GROUP BY street, community, category, day;

-- Every citizen waiting on a ticket besides its own: the tickets merged into it.
CREATE TABLE ticket_links (
    ticket_no       text NOT NULL REFERENCES tickets (ticket_no),   -- the earlier ticket, handled once
    linked_no       text NOT NULL REFERENCES tickets (ticket_no),   -- the merged ticket (its citizen is in tickets.citizen)
    link            text NOT NULL DEFAULT 'merged',
    basis           text NOT NULL,        -- same_place, nearby, same_citizen
    citizen_key     text,
    linked_at       timestamptz NOT NULL,
    PRIMARY KEY (linked_no, link)
);
CREATE INDEX ticket_links_ticket ON ticket_links (ticket_no);

-- Filled when a unit issues a conclusion notice; intake refuses the same citizen's same matter again.
-- Place columns left NULL match any place.
CREATE TABLE concluded_matters (
    id              bigserial PRIMARY KEY,
    citizen_key     text NOT NULL,        -- hotline_citizen_key(phone)
    category        text NOT NULL,
    street          text,
    community       text,
    address_norm    text,
    ticket_no       text,
    concluded_at    timestamptz NOT NULL,
    note            text
);
CREATE INDEX concluded_matters_citizen ON concluded_matters (citizen_key, category);

-- Operators list invalid messages newest first.
CREATE INDEX invalid_messages_received ON invalid_messages (received_at DESC, id DESC);
