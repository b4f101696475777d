// Extraction speed against libbpf itself: ExtractBuild on the real 6.12
// vmlinux ELF of the corpus, and, in the same run, libbpf's btf__parse of the
// same file plus one walk over every type (kind and name of each), the least
// any BTF consumer does. Prints ExtractBuild time / baseline time; the
// target is 1.5 or less.
//
// The vmlinux is unpacked and decompressed once at start-up by
// kfuncdb_unpack, and written to a temporary file for btf__parse.
#include <bpf/btf.h>
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "ingest/extract/extract_build.h"
#include "tests/unpack/corpus_builds.h"

namespace {

constexpr char kDeb612[] = "linux-image-6.12.118+deb13-cloud-amd64_6.12.118-1_amd64.deb";
constexpr char kExtract[] = "ExtractBuild/vmlinux-6.12";
constexpr char kBaseline[] = "Baseline/btf__parse+walk/vmlinux-6.12";

void BM_ExtractBuild(benchmark::State& state, const kfuncdb::extract::KernelArtifacts* artifacts) {
  for (auto _ : state) {
    absl::StatusOr<kfuncdb::v1::BuildRecord> record = kfuncdb::extract::ExtractBuild(*artifacts, {});
    if (!record.ok()) {
      state.SkipWithError(std::string(record.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(record->kfuncs_size());
  }
}

void BM_Baseline(benchmark::State& state, const std::string* path) {
  for (auto _ : state) {
    btf* handle = btf__parse(path->c_str(), nullptr);
    if (handle == nullptr) {
      state.SkipWithError("btf__parse failed");
      return;
    }
    size_t checksum = 0;
    uint32_t count = btf__type_cnt(handle);
    for (uint32_t id = 1; id < count; ++id) {
      const btf_type* type = btf__type_by_id(handle, id);
      checksum += btf_kind(type) + static_cast<size_t>(btf__name_by_offset(handle, type->name_off)[0]);
    }
    benchmark::DoNotOptimize(checksum);
    btf__free(handle);
  }
}

// Console output plus the mean real time per iteration of each benchmark.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && run.iterations > 0) {
        seconds_[run.run_name.function_name] = run.real_accumulated_time / run.iterations;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double Seconds(const std::string& name) const {
    auto it = seconds_.find(name);
    return it == seconds_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const absl::StatusOr<std::vector<kfuncdb::extract::KernelArtifacts>>& builds =
      kfuncdb::testing::UnpackedCorpus({kDeb612});
  if (!builds.ok() || builds->size() != 1) {
    std::fprintf(stderr, "extract_bench: cannot unpack %s: %s\n", kDeb612,
                 builds.ok() ? "not one build" : std::string(builds.status().message()).c_str());
    return 1;
  }
  // ExtractBuild on the vmlinux alone, as the baseline parses it alone.
  kfuncdb::extract::KernelArtifacts vmlinux_only = builds->front();
  vmlinux_only.modules.clear();
  // btf__parse reads a file: the decompressed vmlinux, written once.
  std::filesystem::path path_on_disk = std::filesystem::temp_directory_path() / "extract_bench-vmlinux-6.12";
  std::ofstream(path_on_disk, std::ios::binary) << vmlinux_only.kernel_bytes;
  std::string path = path_on_disk.string();
  benchmark::RegisterBenchmark(kExtract, BM_ExtractBuild, &vmlinux_only)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(kBaseline, BM_Baseline, &path)->Unit(benchmark::kMillisecond);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::filesystem::remove(path_on_disk);
  double extract = reporter.Seconds(kExtract);
  double baseline = reporter.Seconds(kBaseline);
  if (extract > 0 && baseline > 0) {
    std::printf("extract/baseline ratio: %.2f (target <= 1.5): ExtractBuild %.1f ms, "
                "btf__parse + type walk %.1f ms\n",
                extract / baseline, extract * 1e3, baseline * 1e3);
  }
  benchmark::Shutdown();
  return 0;
}
