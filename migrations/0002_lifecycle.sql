-- The release catalog, policy settings, and each kfunc's lifecycle per
-- lineage, derived from 0001's facts. The writer recomputes the rows of a
-- lineage in the same transaction as each ingest, so a reader never sees a
-- build without its lifecycle. Definitions: docs/lifecycle.md.

-- Mainline releases in order. Confirmed rows come from data/releases.tsv (or
-- `kfuncdb-ingest releases import`); rows after the last confirmed one are
-- projected (name continues the series, date from the recent cadence).
CREATE TABLE releases (
  ordinal   INTEGER PRIMARY KEY,           -- 0 = oldest; arithmetic by ordinal only
  name      TEXT NOT NULL UNIQUE,          -- '6.1'
  date      TEXT,                          -- 'YYYY-MM-DD'; NULL: unknown
  date_approximate INTEGER NOT NULL DEFAULT 0 CHECK (date_approximate IN (0, 1)),
  projected INTEGER NOT NULL CHECK (projected IN (0, 1))  -- 1: not in the catalog
) STRICT;

-- The ordered points of each lineage on which lifecycle ordinals count. For
-- 'mainline' and 'example' these are the catalog's releases (release_ordinal =
-- ordinal); for a distribution lineage, the upstream versions ingested.
CREATE TABLE lineage_points (
  lineage_id      INTEGER NOT NULL REFERENCES lineages(id),
  ordinal         INTEGER NOT NULL,
  name            TEXT NOT NULL,           -- '6.1' or '6.1.192'
  release_ordinal INTEGER NOT NULL REFERENCES releases(ordinal),  -- mainline base
  has_builds      INTEGER NOT NULL CHECK (has_builds IN (0, 1)),
  PRIMARY KEY (lineage_id, ordinal),
  UNIQUE (lineage_id, name)
) STRICT;

-- Settings that ingest and server must agree on (window length...).
CREATE TABLE policy (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
INSERT INTO policy (key, value) VALUES ('window_releases', '10');

-- Bit positions of the proposal's flags, per range of releases (inclusive,
-- by name; NULL = open-ended).
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
-- indexed range lookup. Runs of one kfunc do not overlap.
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
-- none is) and prototypes, as runs of points with the same value.
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

-- Broken promises of the stable-kfunc proposal.
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

-- Builds of one point that disagree; never silently merged.
CREATE TABLE conflicts (
  id            INTEGER PRIMARY KEY,
  lineage_id    INTEGER NOT NULL REFERENCES lineages(id),
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  point         INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('flags', 'prototype', 'presence')),
  detail        TEXT NOT NULL       -- which builds said what
) STRICT;
CREATE INDEX conflicts_by_kfunc ON conflicts(lineage_id, kfunc_name_id);
