// kfuncdb-ingest's parallel speed-up against what this machine can give.
//
// --jobs 2 over --jobs 1 (RunIngest on every corpus package, fresh
// database each time, extraction + the single writer + lifecycle upkeep),
// divided by the speed-up of two independent xz decompressions run at once
// over the same two run one after the other (the machine's real parallel
// capacity on this kind of work, measured in the same run). Target: 0.9 or
// more. Also prints one package's ingest time over decompressing its
// data.tar.xz alone (the floor any reader must pay). Target: 1.3 or less.
// Each time is the best of kRuns, so a busy machine skews both sides alike.
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "ingest/cli/commands.h"
#include "ingest/unpack/archive_reader.h"
#include "ingest/unpack/decompress.h"
#include "tests/support/test_support.h"

namespace {

using kfuncdb::ingest_cli::BuildOptions;
using kfuncdb::ingest_cli::StoreOptions;

constexpr int kRuns = 2;
constexpr char kFloorDeb[] = "linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb";
const std::vector<std::string> kPackages = {
    "linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb",
    "linux-image-6.1.0-56-cloud-arm64_6.1.192-2_arm64.deb",
    "linux-image-6.12.118+deb13-cloud-amd64_6.12.118-1_amd64.deb",
    "linux-image-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb",
    "linux-binary-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb",
    "linux-modules-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb",
};

double BestSeconds(const std::function<bool()>& body) {
  double best = std::numeric_limits<double>::max();
  for (int i = 0; i < kRuns; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (!body()) return -1;
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

// The compressed data.tar.xz member of a .deb.
std::string DataTarXz(const std::filesystem::path& deb) {
  absl::StatusOr<kfuncdb::unpack::ArchivePtr> ar = kfuncdb::unpack::OpenArFile(deb);
  if (!ar.ok()) return "";
  archive_entry* entry = nullptr;
  while (kfuncdb::unpack::NextEntry(ar->get(), &entry).value_or(false)) {
    if (kfuncdb::unpack::EntryPath(entry) != "data.tar.xz") continue;
    return kfuncdb::unpack::ReadEntryData(ar->get(), entry, uint64_t{1} << 30).value_or("");
  }
  return "";
}

bool DecompressXz(const std::string& xz) {
  return kfuncdb::unpack::Decompress(kfuncdb::unpack::Codec::kXz, xz, {}).ok();
}

bool Ingest(const std::vector<std::filesystem::path>& inputs, int jobs) {
  kfuncdb::testing::ScratchDir dir;
  StoreOptions store;
  store.db = dir / "bench.db";
  store.jobs = jobs;
  return kfuncdb::ingest_cli::RunIngest(inputs, store, BuildOptions{}) == 0;
}

}  // namespace

int main() {
  std::vector<std::filesystem::path> inputs;
  for (const std::string& package : kPackages) {
    std::optional<std::filesystem::path> path = kfuncdb::testing::CorpusFile(package);
    if (!path) {
      std::printf("skipped: corpus file missing: %s\n",
                  (kfuncdb::testing::CorpusDir() / package).c_str());
      return 0;
    }
    inputs.push_back(*path);
  }
  std::string xz = DataTarXz(*kfuncdb::testing::CorpusFile(kFloorDeb));
  if (xz.empty()) {
    std::printf("cannot read data.tar.xz of %s\n", kFloorDeb);
    return 1;
  }

  double one_decompression = BestSeconds([&] { return DecompressXz(xz); });
  double two_in_sequence = BestSeconds([&] { return DecompressXz(xz) && DecompressXz(xz); });
  double two_at_once = BestSeconds([&] {
    bool first = false, second = false;
    std::thread a([&] { first = DecompressXz(xz); });
    std::thread b([&] { second = DecompressXz(xz); });
    a.join();
    b.join();
    return first && second;
  });
  double ingest_floor_deb = BestSeconds([&] { return Ingest({inputs[0]}, 1); });
  double jobs1 = BestSeconds([&] { return Ingest(inputs, 1); });
  double jobs2 = BestSeconds([&] { return Ingest(inputs, 2); });
  if (one_decompression < 0 || two_in_sequence < 0 || two_at_once < 0 || ingest_floor_deb < 0 ||
      jobs1 < 0 || jobs2 < 0) {
    std::printf("a measured run failed\n");
    return 1;
  }
  double machine = two_in_sequence / two_at_once;
  double ours = jobs1 / jobs2;
  std::printf("\ningest %s: %.2f s; decompressing its data.tar.xz alone: %.2f s; ratio %.2f (target <= 1.3)\n",
              kFloorDeb, ingest_floor_deb, one_decompression, ingest_floor_deb / one_decompression);
  std::printf("all %zu packages: --jobs 1 %.2f s, --jobs 2 %.2f s, speed-up %.2f\n", inputs.size(),
              jobs1, jobs2, ours);
  std::printf("two xz decompressions: in sequence %.2f s, at once %.2f s, machine speed-up %.2f\n",
              two_in_sequence, two_at_once, machine);
  std::printf("parallel efficiency: %.2f (target >= 0.9)\n", ours / machine);
  return 0;
}
