// The JSON form of a BuildRecord printed by `kfuncdb-ingest inspect --json`:
// one object per build, a stable interface for scripts.
//
//   { "kernel_release": "6.1.0-56-cloud-amd64", "release": "6.1",
//     "upstream_version": "6.1.192", "arch": "amd64", "flavour": "cloud-amd64",
//     "distribution": "debian", "package_version": "6.1.192-2",
//     "lineage": "", "content_sha256": "...", "inputs": [...],
//     "flags_known": true, "modules_scanned": 4233,
//     "kfuncs": [ { "name", "set" (string|null), "set_flags" (int|null),
//                   "owner", "flags" (int|null: unknown), "flag_names",
//                   "stable", "deprecated", "prototype", "signature_hash",
//                   "decl_tags", "btf_id", "source" } ],
//     "modules": [ { "name", "path", "vermagic_release", "kfunc_count" } ],
//     "diagnostics": [ { "origin", "message" } ] }
//
// "flags" is null when the flags word is unknown (raw BTF), never 0.
#pragma once

#include <nlohmann/json.hpp>

#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::ingest_cli {

nlohmann::json BuildRecordToJson(const kfuncdb::v1::BuildRecord& record);

}  // namespace kfuncdb::ingest_cli
