-- kfunc_point_observations (0003) counts, per row, the builds of its
-- arch/flavour at its point that did NOT show it (`missing`) instead of
-- those that did (`builds`, which was lineage_point_variants.builds minus
-- missing). Most builds show exactly what every earlier build of their
-- variant showed, and with `builds` each of them had to rewrite every row of
-- its variant at the point just to add one; with `missing` such a build
-- changes no row (only lineage_point_variants.builds), and a build touches
-- only the rows it does not show, the rows it adds and examples it lowers.
-- Same rows, same information.
CREATE TABLE kfunc_point_observations_missing (
  lineage_id    INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  point_name    TEXT NOT NULL,
  arch          TEXT NOT NULL,
  flavour       TEXT NOT NULL,
  flags_known   INTEGER NOT NULL CHECK (flags_known IN (0, 1)),
  flags         INTEGER NOT NULL,
  prototype_id  INTEGER NOT NULL REFERENCES prototypes(id),
  missing       INTEGER NOT NULL CHECK (missing >= 0),  -- builds of the variant at the point without this row
  example       TEXT NOT NULL,
  PRIMARY KEY (lineage_id, point_name, arch, flavour, kfunc_name_id, flags_known, flags, prototype_id)
) STRICT, WITHOUT ROWID;

INSERT INTO kfunc_point_observations_missing
  (lineage_id, kfunc_name_id, point_name, arch, flavour, flags_known, flags, prototype_id, missing, example)
  SELECT o.lineage_id, o.kfunc_name_id, o.point_name, o.arch, o.flavour, o.flags_known, o.flags, o.prototype_id,
         v.builds - o.builds, o.example
  FROM kfunc_point_observations o
  JOIN lineage_point_variants v ON v.lineage_id = o.lineage_id AND v.point_name = o.point_name
                               AND v.arch = o.arch AND v.flavour = o.flavour;
DROP TABLE kfunc_point_observations;
ALTER TABLE kfunc_point_observations_missing RENAME TO kfunc_point_observations;
CREATE INDEX kfunc_point_observations_by_kfunc ON kfunc_point_observations(lineage_id, kfunc_name_id);
