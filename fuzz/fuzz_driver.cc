// libFuzzer entry point for one target of fuzz_targets.h; the build compiles
// this file once per target with KFUNCDB_FUZZ_TARGET set to its name.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz/fuzz_targets.h"

#ifndef KFUNCDB_FUZZ_TARGET
#error "KFUNCDB_FUZZ_TARGET must name a target of fuzz_targets.cc"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kfuncdb::fuzz::FuzzTarget* target = [] {
    const auto* found = kfuncdb::fuzz::FindFuzzTarget(KFUNCDB_FUZZ_TARGET);
    if (found == nullptr) {
      std::fprintf(stderr, "unknown fuzz target %s\n", KFUNCDB_FUZZ_TARGET);
      std::abort();
    }
    return found;
  }();
  target->run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
