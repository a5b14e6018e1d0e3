-- Intake's merge lookup by place reads one short index range whatever the planner knows of the table:
-- the place index leads with the house address, the most selective column, so that no index on
-- (category, community, ...) can look as cheap. Before a new database's first ANALYZE, the planner
-- took intake_demands_category_community for the place lookup and read every demand of the category
-- in the community for each submission.
DROP INDEX IF EXISTS intake_demands_place;
CREATE INDEX intake_demands_place ON intake_demands (address_norm, category, street, community);
