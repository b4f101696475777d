-- The release catalog, policy settings, and each kfunc's lifecycle per
-- lineage, derived from 0001's facts. The writer brings the rows of the
-- build's lineages up to date in the same transaction as each ingest
-- (ingest/store/lifecycle_upkeep.h), so a reader never sees a build without
-- its lifecycle. Definitions: docs/lifecycle.md.
--
-- Two kinds of point ordinals appear below: *release* ordinals
-- (releases.ordinal, catalog positions) and *point* ordinals
-- (lineage_points.ordinal, positions in one lineage). For catalog lineages
-- (mainline, example) they are equal; for a distribution lineage a point is
-- an upstream version and its ordinals may shift when an older version is
-- ingested later (the lineage's rows are then all recomputed).

-- Mainline releases in order. Catalog rows come from data/releases.tsv
-- (seeded on first use) or `kfuncdb-ingest releases import`; after the last
-- catalog row come projected rows (projected = 1: name continues the
-- series, date from the recent cadence, date_approximate = 1), at least 24
-- and always enough to hold every window_end / earliest_removal. Ordinals
-- are dense from 0.
CREATE TABLE releases (
  ordinal   INTEGER PRIMARY KEY,           -- 0 = oldest; arithmetic by ordinal only
  name      TEXT NOT NULL UNIQUE,          -- '6.1'
  date      TEXT,                          -- 'YYYY-MM-DD'; NULL: unknown
  date_approximate INTEGER NOT NULL DEFAULT 0 CHECK (date_approximate IN (0, 1)),
  projected INTEGER NOT NULL CHECK (projected IN (0, 1))  -- 1: not in the catalog
) STRICT;

-- The ordered points of each lineage on which lifecycle ordinals count. For
-- 'mainline' and 'example' these are all rows of releases (release_ordinal =
-- ordinal; has_builds = 1 where the lineage has builds), written when the
-- lineage gets its first build; for a distribution lineage, the upstream
-- versions ingested (has_builds always 1), ordered by release then version.
CREATE TABLE lineage_points (
  lineage_id      INTEGER NOT NULL REFERENCES lineages(id),
  ordinal         INTEGER NOT NULL,
  name            TEXT NOT NULL,           -- '6.1' or '6.1.192'
  release_ordinal INTEGER NOT NULL REFERENCES releases(ordinal),  -- mainline base
  has_builds      INTEGER NOT NULL CHECK (has_builds IN (0, 1)),
  PRIMARY KEY (lineage_id, ordinal),
  UNIQUE (lineage_id, name)
) STRICT;

-- Which lineages count a build, and at which point: its home lineage
-- (builds.lineage_id) and, for a distribution build, mainline too (at its
-- base release). Example lineages never lend builds to mainline.
CREATE TABLE lineage_builds (
  lineage_id INTEGER NOT NULL REFERENCES lineages(id),
  build_id   INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  point_name TEXT NOT NULL,              -- lineage_points.name
  PRIMARY KEY (lineage_id, build_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX lineage_builds_by_point ON lineage_builds(lineage_id, point_name);

-- Aggregates the upkeep keeps per lineage point so that deriving a kfunc's
-- lifecycle costs the same however many builds a point has. Keyed by point
-- name (stable when distribution ordinals shift). Internal to the upkeep;
-- readers use the derived tables below.
CREATE TABLE lineage_point_variants (     -- builds per arch/flavour at a point
  lineage_id INTEGER NOT NULL REFERENCES lineages(id),
  point_name TEXT NOT NULL,
  arch       TEXT NOT NULL,
  flavour    TEXT NOT NULL,
  builds     INTEGER NOT NULL,
  PRIMARY KEY (lineage_id, point_name, arch, flavour)
) STRICT, WITHOUT ROWID;

-- How many builds of an arch/flavour at a point showed the kfunc with one
-- flags word and prototype. A build's word is the OR over the kfunc's set
-- entries (flags_known = 0 and flags = 0 when the build's flags are
-- unknown: raw BTF); its prototype is that of its first entry. `example`
-- is the smallest label ("<kernel_release> [<sha256 prefix>]") of the
-- builds counted, for conflict details that do not depend on ingest order.
CREATE TABLE kfunc_point_observations (
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
  PRIMARY KEY (lineage_id, kfunc_name_id, point_name, arch, flavour, flags_known, flags, prototype_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX kfunc_point_observations_by_point ON kfunc_point_observations(lineage_id, point_name);

-- Settings that ingest and server must agree on (window length...).
CREATE TABLE policy (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
INSERT INTO policy (key, value) VALUES ('window_releases', '10');

-- Bit positions of the proposal's flags, per range of releases (inclusive,
-- by name; NULL = open-ended). Where ranges overlap the row with the highest
-- id wins; releases no row covers use the defaults 30 and 31. Lifecycle
-- reads stable/deprecated from build_kfuncs.flags with these bits, never
-- from extraction's decoded booleans.
CREATE TABLE policy_flag_bits (
  id             INTEGER PRIMARY KEY,
  from_release   TEXT,
  to_release     TEXT,
  stable_bit     INTEGER NOT NULL CHECK (stable_bit BETWEEN 0 AND 31),
  deprecated_bit INTEGER NOT NULL CHECK (deprecated_bit BETWEEN 0 AND 31)
) STRICT;
INSERT INTO policy_flag_bits (from_release, to_release, stable_bit, deprecated_bit)
  VALUES (NULL, NULL, 30, 31);

-- One row per kfunc and lineage. Point ordinals refer to lineage_points;
-- window ordinals to releases (they may be projected releases).
-- introduced_exact = 1 when introduced_after is the point just before
-- introduced_in (else the kfunc appeared somewhere in between: a range);
-- removed_exact likewise for last_present / removed_in. A point counts for a
-- kfunc only when it has a build of an arch the kfunc was ever seen on.
-- status: at the lineage's newest point with builds; 'unknown' when the
-- flags there are unknown (raw BTF); stability_known = 0 when no build
-- with known flags ever had it.
CREATE TABLE kfunc_lifecycle (
  lineage_id                INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id             INTEGER NOT NULL REFERENCES names(id),
  introduced_in             INTEGER NOT NULL,  -- first point present
  introduced_after          INTEGER,           -- last point with builds before it, absent; NULL: none
  introduced_exact          INTEGER NOT NULL CHECK (introduced_exact IN (0, 1)),
  last_present              INTEGER NOT NULL,
  stability_known           INTEGER NOT NULL CHECK (stability_known IN (0, 1)),
  stable_since              INTEGER,
  deprecated_since          INTEGER,
  window_end_release        INTEGER REFERENCES releases(ordinal),
  earliest_removal_release  INTEGER REFERENCES releases(ordinal),
  removed_in                INTEGER,           -- first point with builds after last_present, absent
  removed_exact             INTEGER NOT NULL DEFAULT 0 CHECK (removed_exact IN (0, 1)),
  status                    TEXT NOT NULL CHECK (status IN ('unstable', 'stable', 'deprecated', 'removed', 'unknown')),
  PRIMARY KEY (lineage_id, kfunc_name_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX kfunc_lifecycle_by_window ON kfunc_lifecycle(lineage_id, window_end_release);

-- Status over runs of points, so "kfuncs by status at release R" is one
-- indexed range lookup. Runs of one kfunc do not overlap and cover every
-- point from introduced_in to the lineage's newest point with builds (a
-- point that says nothing about the kfunc keeps the previous status); no
-- run before introduced_in means "not yet introduced".
CREATE TABLE kfunc_status_runs (
  lineage_id    INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  from_point    INTEGER NOT NULL,
  to_point      INTEGER NOT NULL,   -- inclusive
  status        TEXT NOT NULL CHECK (status IN ('unstable', 'stable', 'deprecated', 'removed', 'unknown')),
  PRIMARY KEY (lineage_id, kfunc_name_id, from_point)
) STRICT, WITHOUT ROWID;
CREATE INDEX kfunc_status_runs_by_point ON kfunc_status_runs(lineage_id, from_point, to_point);

-- Flags (union over the builds of a point whose flags are known; NULL when
-- none is) and prototypes, as runs of points with the same value. Runs
-- cover points where the kfunc is present; points without information in
-- between join a run when the value is the same on both sides; a point
-- where it is absent ends the run. At a point whose builds disagree on the
-- prototype, the run holds the one most builds showed (ties: smallest text).
CREATE TABLE kfunc_flag_runs (
  lineage_id    INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  from_point    INTEGER NOT NULL,
  to_point      INTEGER NOT NULL,
  flags         INTEGER,
  PRIMARY KEY (lineage_id, kfunc_name_id, from_point)
) STRICT, WITHOUT ROWID;

CREATE TABLE kfunc_prototype_runs (
  lineage_id    INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  from_point    INTEGER NOT NULL,
  to_point      INTEGER NOT NULL,
  prototype_id  INTEGER NOT NULL REFERENCES prototypes(id),
  PRIMARY KEY (lineage_id, kfunc_name_id, from_point)
) STRICT, WITHOUT ROWID;

-- Where a kfunc was seen: per arch and flavour, first and last point.
CREATE TABLE kfunc_availability (
  lineage_id    INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  arch          TEXT NOT NULL,
  flavour       TEXT NOT NULL,
  first_point   INTEGER NOT NULL,
  last_point    INTEGER NOT NULL,
  PRIMARY KEY (lineage_id, kfunc_name_id, arch, flavour)
) STRICT, WITHOUT ROWID;

-- Broken promises of the stable-kfunc proposal. point: where it happened
-- (the removal point, the point where the name came back, changed...).
CREATE TABLE violations (
  id            INTEGER PRIMARY KEY,
  lineage_id    INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  kind          TEXT NOT NULL CHECK (kind IN (
                  'removed_before_window_end',
                  'stable_removed_without_deprecation',
                  'prototype_changed_while_stable',
                  'stable_cleared_without_deprecation',
                  'removed_name_reused')),
  point         INTEGER NOT NULL,   -- where it happened
  detail        TEXT NOT NULL
) STRICT;
CREATE INDEX violations_by_kfunc ON violations(lineage_id, kfunc_name_id);

-- Builds of one point that disagree; never silently merged. flags: two
-- builds with known flags have different words; prototype: different
-- signature hashes (a renamed parameter is no conflict); presence: some but
-- not all builds of one arch/flavour have the kfunc.
CREATE TABLE conflicts (
  id            INTEGER PRIMARY KEY,
  lineage_id    INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  point         INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('flags', 'prototype', 'presence')),
  detail        TEXT NOT NULL       -- which builds said what
) STRICT;
CREATE INDEX conflicts_by_kfunc ON conflicts(lineage_id, kfunc_name_id);
CREATE INDEX conflicts_by_point ON conflicts(lineage_id, point);
