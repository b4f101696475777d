// Adding a Diagnostic (something noticed but not fatal) to a BuildRecord.
#pragma once

#include <string>

#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::extract {

inline void AddDiagnostic(kfuncdb::v1::BuildRecord* record, const std::string& origin,
                          std::string message) {
  kfuncdb::v1::Diagnostic* diagnostic = record->add_diagnostics();
  diagnostic->set_origin(origin);
  diagnostic->set_message(std::move(message));
}

}  // namespace kfuncdb::extract
