-- Builds and what extraction observed in them: the facts. Everything in the
-- lifecycle tables (0002) is derived from these rows and can be recomputed.
--
-- Conventions: STRICT tables; names (kfuncs, sets, owners) interned in
-- `names`; prototypes deduplicated in `prototypes`; NULL means unknown,
-- never "zero".

CREATE TABLE names (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE prototypes (
  id             INTEGER PRIMARY KEY,
  prototype      TEXT NOT NULL UNIQUE,  -- C, parameter names kept
  signature_hash TEXT NOT NULL          -- types only: equal hash = compatible
) STRICT;
CREATE INDEX prototypes_by_signature ON prototypes(signature_hash);

-- An ordered series of builds: 'mainline' (each build at its base release),
-- a distribution series ('debian-6.1', ordered by upstream version), or
-- example data, which never mixes with mainline.
CREATE TABLE lineages (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('mainline', 'distribution', 'example')),
  description TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO lineages (name, kind, description)
  VALUES ('mainline', 'mainline', 'Every build counted at its mainline base release');

CREATE TABLE builds (
  id               INTEGER PRIMARY KEY,
  content_sha256   TEXT NOT NULL UNIQUE,  -- ingesting it again is a no-op
  kernel_release   TEXT NOT NULL,         -- '6.1.0-56-cloud-amd64'
  release          TEXT NOT NULL,         -- mainline base: '6.1'
  upstream_version TEXT NOT NULL DEFAULT '',  -- '6.1.192'
  arch             TEXT NOT NULL,         -- 'amd64', 'arm64'
  flavour          TEXT NOT NULL DEFAULT '',  -- 'cloud-amd64'
  distribution     TEXT NOT NULL DEFAULT '',  -- 'debian'
  package_version  TEXT NOT NULL DEFAULT '',  -- '6.1.192-2'
  lineage_id       INTEGER NOT NULL REFERENCES lineages(id),
  flags_known      INTEGER NOT NULL CHECK (flags_known IN (0, 1)),
  modules_scanned  INTEGER NOT NULL DEFAULT 0,
  inputs           TEXT NOT NULL,         -- JSON array of the files read
  ingested_at      TEXT NOT NULL          -- ISO 8601 UTC
) STRICT;
CREATE INDEX builds_by_lineage_release ON builds(lineage_id, release);

-- One row per (build, kfunc, set): a kfunc in two sets has two rows.
CREATE TABLE build_kfuncs (
  id            INTEGER PRIMARY KEY,
  build_id      INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  kfunc_name_id INTEGER NOT NULL REFERENCES names(id),
  set_name_id   INTEGER REFERENCES names(id),    -- NULL: set name unknown / no set
  set_flags     INTEGER,                         -- NULL: no set (decl tag only)
  owner_name_id INTEGER NOT NULL REFERENCES names(id),  -- 'vmlinux' or module
  flags         INTEGER,                         -- raw KF_* word; NULL: unknown
  prototype_id  INTEGER NOT NULL REFERENCES prototypes(id),
  decl_tags     TEXT NOT NULL DEFAULT '',        -- sorted, comma-separated
  btf_id        INTEGER NOT NULL,
  source        TEXT NOT NULL CHECK (source IN ('set_symbol', 'set_scan', 'decl_tag'))
) STRICT;
CREATE INDEX build_kfuncs_by_build ON build_kfuncs(build_id, kfunc_name_id);
CREATE INDEX build_kfuncs_by_kfunc ON build_kfuncs(kfunc_name_id, build_id);

CREATE TABLE build_modules (
  build_id         INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  path             TEXT NOT NULL,
  vermagic_release TEXT NOT NULL DEFAULT '',
  kfunc_count      INTEGER NOT NULL,
  PRIMARY KEY (build_id, name)
) STRICT;

CREATE TABLE build_diagnostics (
  id       INTEGER PRIMARY KEY,
  build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  origin   TEXT NOT NULL,
  message  TEXT NOT NULL
) STRICT;
CREATE INDEX build_diagnostics_by_build ON build_diagnostics(build_id);
