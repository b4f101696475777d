// The human form of a BuildRecord printed by `kfuncdb-ingest inspect`: an
// identity header, one line per kfunc (name, set, owner, flags word and
// names, prototype) and the diagnostics. Column widths fit the content.
#pragma once

#include <ostream>

#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::ingest_cli {

void PrintBuildRecordTable(const kfuncdb::v1::BuildRecord& record, std::ostream& out);

}  // namespace kfuncdb::ingest_cli
