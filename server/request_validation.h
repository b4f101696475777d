// Checks of request fields, shared by every query class. Each failure is
// InvalidArgument naming the field ("GetKfuncRequest.name: ...") and what is
// wrong, so a client can fix its request without reading server logs.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/serving_catalog.h"

namespace kfuncdb::server {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;
inline constexpr size_t kMaxKfuncNameLength = 256;

// A C identifier of at most kMaxKfuncNameLength characters. `field` names the
// request field in the message.
absl::Status ValidateKfuncName(std::string_view field, std::string_view name);
// Like ValidateKfuncName but may be empty (a prefix or an optional filter).
absl::Status ValidateOptionalIdentifier(std::string_view field, std::string_view value);

// 0 -> kDefaultPageSize; 1..kMaxPageSize as is; anything else InvalidArgument.
absl::StatusOr<int> ValidatePageSize(std::string_view field, int32_t page_size);

// The lineage named by a request ("" = mainline); InvalidArgument when the
// name is malformed or the database has no such lineage.
absl::StatusOr<const ServingLineage*> ResolveLineage(const ServingCatalog& catalog,
                                                     std::string_view field,
                                                     std::string_view name);

// A point of `lineage` named by a request ("6.1", "6.1.192"): InvalidArgument
// when malformed or not a point of the lineage.
absl::StatusOr<const v1::Release*> ResolvePoint(const ServingLineage& lineage,
                                                std::string_view field, std::string_view name);

// A catalog release ("6.1"): InvalidArgument when malformed or unknown.
absl::StatusOr<const v1::Release*> ResolveRelease(const ServingCatalog& catalog,
                                                  std::string_view field, std::string_view name);

// "YYYY-MM-DD", a real calendar day.
absl::Status ValidateDate(std::string_view field, std::string_view date);

// 64 lowercase or uppercase hex digits.
absl::Status ValidateSha256(std::string_view field, std::string_view digest);

}  // namespace kfuncdb::server
