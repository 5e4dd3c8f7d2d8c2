-- Comment topics (issue 15): the topic ids a 差评 counts under (grains/Evaluation.Domain/Comments), read at ingest
-- from its redacted comment and tags and logged with it, so topic counts recomputed from the log equal the grains'
-- whatever the lexicon says later. An exclusion (kind 3) repeats the topics of the rating it excludes. NULL for every
-- other event and for 差评 logged before this column: those count under no topic, nor in a topic share's denominator.
-- On the partitioned log the column reaches every partition, present and future.
ALTER TABLE event_log ADD COLUMN IF NOT EXISTS topics text[];
