// Unpack speed against its floor: UnpackBuild on a real corpus .deb (6.1
// amd64 cloud: data.tar.xz holding an LZ4 bzImage and ~3,000 modules), and,
// in the same run, the least any reader of that package must do: stream
// every member of its data.tar.xz out of the .deb with libarchive, bytes
// read and dropped. Prints unpack time / floor time (target: 1.3 or less)
// and, when extraction is linked in, unpack + ExtractBuild / floor too.
// Each is the best of several runs, so a busy machine skews both alike.
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>

#include "ingest/extract/extract_build.h"
#include "ingest/unpack/archive_reader.h"
#include "ingest/unpack/unpack.h"
#include "tests/support/test_support.h"

namespace {

using kfuncdb::unpack::ArchivePtr;

constexpr char kDeb[] = "linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb";
constexpr int kRuns = 3;

// Best wall time of `runs` calls, in seconds; negative if one failed.
double BestSeconds(int runs, const std::function<bool()>& body) {
  double best = std::numeric_limits<double>::max();
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (!body()) return -1;
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

// The floor: decompress data.tar.* and read every member's bytes.
bool StreamDataTar(const std::filesystem::path& deb) {
  absl::StatusOr<ArchivePtr> ar = kfuncdb::unpack::OpenArFile(deb);
  if (!ar.ok()) return false;
  archive_entry* entry = nullptr;
  while (kfuncdb::unpack::NextEntry(ar->get(), &entry).value_or(false)) {
    if (!kfuncdb::unpack::EntryPath(entry).starts_with("data.tar")) continue;
    absl::StatusOr<kfuncdb::unpack::NestedArchive> tar = kfuncdb::unpack::OpenTarOnEntry(ar->get());
    if (!tar.ok()) return false;
    static char block[1 << 16];
    size_t total = 0;
    while (kfuncdb::unpack::NextEntry(tar->get(), &entry).value_or(false)) {
      for (la_ssize_t n; (n = archive_read_data(tar->get(), block, sizeof(block))) > 0;) total += n;
    }
    return total > 0;
  }
  return false;
}

}  // namespace

int main() {
  std::optional<std::filesystem::path> deb = kfuncdb::testing::CorpusFile(kDeb);
  if (!deb) {
    std::fprintf(stderr, "unpack_bench: corpus file missing: %s\n", (kfuncdb::testing::CorpusDir() / kDeb).c_str());
    return 1;
  }
  absl::StatusOr<kfuncdb::unpack::PlannedBuilds> planned = kfuncdb::unpack::PlanBuilds({*deb}, {});
  if (!planned.ok() || planned->builds.size() != 1) {
    std::fprintf(stderr, "unpack_bench: cannot plan %s\n", deb->c_str());
    return 1;
  }
  const kfuncdb::unpack::BuildPlan& plan = planned->builds.front();

  double floor = BestSeconds(kRuns, [&] { return StreamDataTar(*deb); });
  double unpack = BestSeconds(kRuns, [&] { return kfuncdb::unpack::UnpackBuild(plan, {}).ok(); });
  double ingest = BestSeconds(kRuns, [&] {
    absl::StatusOr<kfuncdb::extract::KernelArtifacts> artifacts = kfuncdb::unpack::UnpackBuild(plan, {});
    return artifacts.ok() && kfuncdb::extract::ExtractBuild(*artifacts, {}).ok();
  });
  if (floor <= 0 || unpack <= 0 || ingest <= 0) {
    std::fprintf(stderr, "unpack_bench: a run failed\n");
    return 1;
  }
  std::printf("floor (stream data.tar.xz of %s): %.0f ms\n", kDeb, floor * 1e3);
  std::printf("UnpackBuild: %.0f ms, ratio to floor %.2f (target <= 1.3)\n", unpack * 1e3, unpack / floor);
  std::printf("UnpackBuild + ExtractBuild: %.0f ms, ratio to floor %.2f\n", ingest * 1e3, ingest / floor);
  return 0;
}
