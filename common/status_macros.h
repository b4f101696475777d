// Early-return helpers for absl::Status / absl::StatusOr, used across every
// layer: errors travel as statuses, never as exceptions across a library
// boundary.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define KFUNCDB_CONCAT_INNER(a, b) a##b
#define KFUNCDB_CONCAT(a, b) KFUNCDB_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define KFUNCDB_RETURN_IF_ERROR(expr)                \
  do {                                               \
    if (absl::Status _kfuncdb_status = (expr);       \
        !_kfuncdb_status.ok()) {                     \
      return _kfuncdb_status;                        \
    }                                                \
  } while (0)

// `KFUNCDB_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from the value of a
// StatusOr, or returns its status from the enclosing function.
#define KFUNCDB_ASSIGN_OR_RETURN(lhs, expr) \
  KFUNCDB_ASSIGN_OR_RETURN_IMPL(KFUNCDB_CONCAT(_kfuncdb_or_, __LINE__), lhs, expr)
#define KFUNCDB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).status();      \
  lhs = std::move(tmp).value()
