-- One random stamp per lineage, rewritten by every lifecycle upkeep that
-- writes the lineage (in the same transaction) and deleted by a full
-- recompute. The writer keeps what it last derived for a lineage in memory
-- under the stamp it wrote (ingest/store/lifecycle_cache.h) and uses it only
-- while the stored stamp is still that one: a rolled-back transaction,
-- another writer's build or a recompute all leave another stamp or none.
-- Readers never need it.
CREATE TABLE lifecycle_stamps (
  lineage_id INTEGER PRIMARY KEY REFERENCES lineages(id),
  stamp      INTEGER NOT NULL
) STRICT;
