-- kfunc_point_observations (0002) keyed by point first, the way the upkeep
-- writes it: a build adds one count to each row of its arch/flavour at its
-- point, and with the kfunc leading the key those rows lay on most pages of
-- the table (each build dirtied nearly all of them, and each had to be
-- journalled and written again). Keyed by (lineage, point, arch, flavour)
-- first, a build's rows are one contiguous range: usually a single UPDATE
-- over a few pages. Reading one kfunc's observations goes through
-- kfunc_point_observations_by_kfunc instead; its entries hold only key
-- columns, so counting a build never touches it. Same columns, same rows.
CREATE TABLE kfunc_point_observations_point_first (
  lineage_id    INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  point_name    TEXT NOT NULL,
  arch          TEXT NOT NULL,
  flavour       TEXT NOT NULL,
  flags_known   INTEGER NOT NULL CHECK (flags_known IN (0, 1)),
  flags         INTEGER NOT NULL,
  prototype_id  INTEGER NOT NULL REFERENCES prototypes(id),
  builds        INTEGER NOT NULL,
  example       TEXT NOT NULL,
  PRIMARY KEY (lineage_id, point_name, arch, flavour, kfunc_name_id, flags_known, flags, prototype_id)
) STRICT, WITHOUT ROWID;

INSERT INTO kfunc_point_observations_point_first
  (lineage_id, kfunc_name_id, point_name, arch, flavour, flags_known, flags, prototype_id, builds, example)
  SELECT lineage_id, kfunc_name_id, point_name, arch, flavour, flags_known, flags, prototype_id, builds, example
  FROM kfunc_point_observations;
DROP TABLE kfunc_point_observations;
ALTER TABLE kfunc_point_observations_point_first RENAME TO kfunc_point_observations;
CREATE INDEX kfunc_point_observations_by_kfunc ON kfunc_point_observations(lineage_id, kfunc_name_id);
