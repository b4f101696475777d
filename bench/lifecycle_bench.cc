// Lifecycle upkeep cost against the ingest it rides on: 200 generated
// builds (fixture vmlinux ELFs: 2 arches x 5 ABIs per release, 20 releases
// 6.4 .. 7.3, ~150-290 kfuncs each, kfuncs appearing, turning stable,
// deprecated and removed) go through the real path: ExtractBuild, then
// BuildWriter::Write, whose transaction includes UpdateLifecycleForBuild.
//
// Prints the upkeep time as a share of the total ingest time (extract +
// write; target: 20% or less), for all builds and for the first and the
// last 50, which must not differ much: upkeep cost must not grow with the
// builds already stored. Both shares are measured in the same run, so a
// busy machine skews them alike. Fixture generation is not timed.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/sha256.h"
#include "common/sqlite/migrations.h"
#include "ingest/extract/extract_build.h"
#include "ingest/store/build_writer.h"
#include "ingest/store/lifecycle_upkeep.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/support/test_support.h"

namespace {

using kfuncdb::fixtures::FixtureKfunc;
using kfuncdb::fixtures::VmlinuxSpec;

constexpr int kReleases = 20;  // default; argv[1] may ask for fewer (profiling)
constexpr int kBuildsPerRelease = 10;
constexpr int kWindow = 50;  // builds per reported window
constexpr uint32_t kStable = 1u << 30;
constexpr uint32_t kDeprecated = 1u << 31;

std::string ReleaseName(int index) {
  // 6.4 .. 6.19, then 7.0 .. 7.3 (the catalog's order, not arithmetic).
  return index < 16 ? absl::StrCat("6.", 4 + index) : absl::StrCat("7.", index - 16);
}

VmlinuxSpec SpecFor(int release, int build) {
  const bool arm64 = build % 2 == 1;
  VmlinuxSpec spec;
  spec.arch = arm64 ? "arm64" : "amd64";
  spec.kernel_release = absl::StrCat(ReleaseName(release), ".0-", build / 2 + 1, "-cloud-", spec.arch);
  spec.with_symbols = true;
  spec.sets = {{"generic_btf_ids", 1}, {"common_btf_ids", 1}, {"xdp_metadata_kfunc_ids", 1}};
  const int kfunc_count = 150 + 7 * release;
  for (int j = 0; j < kfunc_count; ++j) {
    if (j % 37 == 0 && release > 12) continue;  // removed
    if (arm64 && j % 13 == 0) continue;        // x86-only
    FixtureKfunc kfunc;
    kfunc.name = absl::StrCat("bpf_bench_kfunc_", j);
    kfunc.set = spec.sets[j % 3].name;
    kfunc.flags = 0x1 | (j % 4 == 0 ? 0x4 : 0);
    if (j % 3 == 0 && release >= 5) kfunc.flags |= kStable;
    if (j % 11 == 0 && release >= 10) kfunc.flags |= kDeprecated;
    kfunc.return_type = j % 2 == 0 ? "struct task_struct *" : "int";
    kfunc.params = {{"struct task_struct *", "p"}, {"u32", "flags"}};
    spec.kfuncs.push_back(std::move(kfunc));
  }
  return spec;
}

struct Sample {
  absl::Duration extract;
  absl::Duration write;
  absl::Duration upkeep;
};

double Share(const std::vector<Sample>& samples, size_t from, size_t to) {
  absl::Duration total, upkeep;
  for (size_t i = from; i < to; ++i) {
    total += samples[i].extract + samples[i].write;
    upkeep += samples[i].upkeep;
  }
  return 100.0 * absl::FDivDuration(upkeep, total);
}

double MeanMs(const std::vector<Sample>& samples, size_t from, size_t to, absl::Duration Sample::*field) {
  absl::Duration sum;
  for (size_t i = from; i < to; ++i) sum += samples[i].*field;
  return absl::ToDoubleMilliseconds(sum) / static_cast<double>(to - from);
}

}  // namespace

int main(int argc, char** argv) {
  const int releases = argc > 1 ? std::clamp(std::atoi(argv[1]), 6, kReleases) : kReleases;
  kfuncdb::testing::ScratchDir dir;
  absl::StatusOr<kfuncdb::sqlite::Database> db = kfuncdb::sqlite::OpenForWriting(dir / "bench.db");
  if (!db.ok()) {
    std::fprintf(stderr, "lifecycle_bench: %s\n", std::string(db.status().message()).c_str());
    return 1;
  }
  kfuncdb::store::BuildWriter writer(*db);
  std::vector<Sample> samples;
  for (int release = 0; release < releases; ++release) {
    for (int build = 0; build < kBuildsPerRelease; ++build) {
      absl::StatusOr<std::string> elf = kfuncdb::fixtures::BuildVmlinuxElf(SpecFor(release, build));
      if (!elf.ok()) {
        std::fprintf(stderr, "lifecycle_bench: fixture: %s\n", std::string(elf.status().message()).c_str());
        return 1;
      }
      kfuncdb::extract::KernelArtifacts artifacts;
      artifacts.form = kfuncdb::extract::KernelForm::kElfVmlinux;
      artifacts.inputs = {"vmlinux"};
      artifacts.kernel_origin = "vmlinux";
      artifacts.content_sha256 = *kfuncdb::Sha256Hex(*elf);
      artifacts.kernel_bytes = *std::move(elf);

      const kfuncdb::store::UpkeepCounters before = kfuncdb::store::LifecycleUpkeepCounters();
      const absl::Time start = absl::Now();
      absl::StatusOr<kfuncdb::v1::BuildRecord> record = kfuncdb::extract::ExtractBuild(artifacts, {});
      const absl::Time extracted = absl::Now();
      absl::StatusOr<kfuncdb::store::WriteResult> written =
          record.ok() ? writer.Write(*record) : absl::StatusOr<kfuncdb::store::WriteResult>(record.status());
      const absl::Time done = absl::Now();
      if (!written.ok()) {
        std::fprintf(stderr, "lifecycle_bench: build %s/%d: %s\n", ReleaseName(release).c_str(), build,
                     std::string(written.status().message()).c_str());
        return 1;
      }
      samples.push_back({extracted - start, done - extracted,
                         kfuncdb::store::LifecycleUpkeepCounters().time - before.time});
    }
  }

  const size_t n = samples.size();
  std::printf("lifecycle upkeep over %zu builds (%d releases x %d builds, release order)\n", n, releases,
              kBuildsPerRelease);
  std::printf("  mean per build (ms):        extract %.2f  write %.2f  of which upkeep %.2f\n",
              MeanMs(samples, 0, n, &Sample::extract), MeanMs(samples, 0, n, &Sample::write),
              MeanMs(samples, 0, n, &Sample::upkeep));
  std::printf("  upkeep share of ingest, all builds:     %5.1f%%  (target <= 20%%)\n", Share(samples, 0, n));
  std::printf("  upkeep share of ingest, first %d builds: %5.1f%%  (upkeep %.2f ms/build)\n", kWindow,
              Share(samples, 0, kWindow), MeanMs(samples, 0, kWindow, &Sample::upkeep));
  std::printf("  upkeep share of ingest, last %d builds:  %5.1f%%  (upkeep %.2f ms/build)\n", kWindow,
              Share(samples, n - kWindow, n), MeanMs(samples, n - kWindow, n, &Sample::upkeep));
  // Where the upkeep goes: the first builds of a release open a new point
  // (amd64) or a new arch at it (arm64), which re-derives every kfunc of
  // the lineage; later builds of the release re-derive only what they change.
  absl::Duration opening, later;
  for (size_t i = 0; i < n; ++i) (i % kBuildsPerRelease < 2 ? opening : later) += samples[i].upkeep;
  std::printf("  upkeep per build opening a point/arch: %.2f ms; other builds: %.2f ms\n",
              absl::ToDoubleMilliseconds(opening) / (2.0 * releases),
              absl::ToDoubleMilliseconds(later) / static_cast<double>(n - 2 * releases));
  return 0;
}
