// Debian's split kernel packaging (7.x): one kernel build ships as
// linux-image-<rel> (metadata), linux-binary-<rel> (the kernel) and
// linux-modules-<rel> (the modules). Given together they form one build
// (GroupIntoBuilds); a watched folder, though, sees them land one at a time,
// and a kernel ingested before its modules arrive would miss every module's
// kfuncs. The watch worker therefore holds such a plan until its sibling
// lands (see RunWatch).
//
// Thread-safe (no state).
#pragma once

#include <string>

#include "ingest/unpack/unpack.h"

namespace kfuncdb::ingest_cli {

// The package of the linux-binary-<rel> / linux-modules-<rel> pair that
// `plan` lacks ("linux-modules-7.2.13+deb14-cloud-amd64"), or "" when the
// plan holds both or neither (not split packaging).
std::string MissingSplitSibling(const unpack::BuildPlan& plan);

}  // namespace kfuncdb::ingest_cli
