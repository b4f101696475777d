// The fuzz targets: one function per reader of untrusted bytes, callable from
// two places so that both exercise exactly the same code:
//
//  - fuzz/fuzz_driver.cc, compiled once per target into a libFuzzer binary
//    (clang, -fsanitize=fuzzer,address,undefined; only with
//    KFUNCDB_BUILD_FUZZERS), and
//  - tests/robustness/fuzz_regressions_test.cc, which replays every input
//    kept under fuzz/regressions/<target>/ in every build (normal and
//    ASan/UBSan), so a crash once found stays fixed.
//
// A target must accept any bytes: errors are statuses and are ignored; only
// a crash, a sanitizer report or a leak is a finding. Targets that need a file
// path (the .deb reader, the BPF object reader) write the bytes to a
// per-process temporary file first.
#pragma once

#include <span>
#include <string_view>

namespace kfuncdb::fuzz {

struct FuzzTarget {
  const char* name;  // also the folder name under fuzz/regressions/ and the binary's suffix
  void (*run)(std::string_view bytes);
};

// Every target, in a fixed order.
std::span<const FuzzTarget> AllFuzzTargets();

// The target called `name`, or nullptr.
const FuzzTarget* FindFuzzTarget(std::string_view name);

}  // namespace kfuncdb::fuzz
