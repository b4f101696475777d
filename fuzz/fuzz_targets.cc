// The fuzz targets (see fuzz_targets.h). Each one calls the public API of
// one reader the way kfuncdb-ingest or kfuncdb check calls it, with limits
// small enough that a libFuzzer run explores inputs instead of spending its
// time inflating one big stream.
#include "fuzz/fuzz_targets.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "client/bpf_object_kfuncs.h"
#include "ingest/extract/btf_id_sets.h"
#include "ingest/extract/elf_image.h"
#include "ingest/extract/extract_build.h"
#include "ingest/unpack/arm64_image.h"
#include "ingest/unpack/bzimage.h"
#include "ingest/unpack/codec.h"
#include "ingest/unpack/deb_package.h"
#include "ingest/unpack/decompress.h"

namespace kfuncdb::fuzz {
namespace {

// Decompressed output is capped well below the production limit: a bomb is
// still detected (ResourceExhausted), in milliseconds.
constexpr unsigned kFuzzMaxOutput = 8u << 20;

unpack::DecompressLimits FuzzLimits() {
  unpack::DecompressLimits limits;
  limits.max_output = kFuzzMaxOutput;
  return limits;
}

// A file that holds the current input, for readers that take a path. One per
// process (libFuzzer runs inputs one after another), removed at exit.
class InputFile {
 public:
  static const std::filesystem::path& Write(std::string_view bytes) {
    static InputFile file;
    std::ofstream out(file.path_, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      std::perror("fuzz: cannot write the input file");
      std::abort();  // not a finding of the target: stop loudly
    }
    return file.path_;
  }

 private:
  InputFile()
      : path_(std::filesystem::temp_directory_path() /
              ("kfuncdb-fuzz-input-" + std::to_string(::getpid()))) {}
  ~InputFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  std::filesystem::path path_;
};

// Every section and symbol of the image, as extraction walks them.
void FuzzElfImage(std::string_view bytes) {
  auto elf = extract::ElfImage::Open(bytes, "fuzz.elf");
  if (!elf.ok()) return;
  (void)elf->ArchName();
  std::vector<extract::ElfImage::Section> sections;
  for (const char* name : {".BTF", ".BTF.base", ".BTF_ids", ".modinfo", ".rodata", ".symtab"}) {
    if (auto section = elf->FindSection(name)) sections.push_back(*section);
  }
  (void)elf->ForEachSymbol([&](const extract::ElfImage::Symbol& symbol) {
    for (const auto& section : sections) (void)elf->SectionOffset(symbol, section);
  });
  if (auto btf_ids = elf->FindSection(".BTF_ids")) {
    (void)extract::FindSet8Symbols(*elf, *btf_ids);
  }
}

// Raw BTF (/sys/kernel/btf/vmlinux, BTFHub): libbpf's parser, then the
// kfunc walk, prototype rendering and decl tags of ExtractBuild.
void FuzzExtractRawBtf(std::string_view bytes) {
  extract::KernelArtifacts artifacts;
  artifacts.form = extract::KernelForm::kRawBtf;
  artifacts.kernel_origin = "fuzz.btf";
  artifacts.kernel_bytes = std::string(bytes);
  extract::ExtractOptions options;
  options.release_override = "6.12.0-fuzz";
  (void)extract::ExtractBuild(artifacts, options);
}

// An ELF vmlinux: sections, symbols, .BTF and .BTF_ids together, the whole
// extraction path of a kernel.
void FuzzExtractElfVmlinux(std::string_view bytes) {
  extract::KernelArtifacts artifacts;
  artifacts.form = extract::KernelForm::kElfVmlinux;
  artifacts.kernel_origin = "fuzz.vmlinux";
  artifacts.kernel_bytes = std::string(bytes);
  extract::ExtractOptions options;
  options.release_override = "6.12.0-fuzz";
  (void)extract::ExtractBuild(artifacts, options);
}

// The symbol-less .BTF_ids scan in both byte orders, and the by-symbol reader
// with headers taken from the input itself. Which ids are FUNCs is a fixed
// function of the id so that runs are reproducible.
void FuzzBtfIdsScan(std::string_view bytes) {
  auto is_func = [](BtfTypeId id) { return id.value() % 3 != 0; };
  for (auto order : {extract::WordOrder::kLittleEndian, extract::WordOrder::kBigEndian}) {
    (void)extract::ScanSet8s(bytes, order, is_func);
  }
  std::vector<extract::Set8Symbol> headers;
  for (size_t offset = 0; offset < std::min<size_t>(bytes.size(), 64); offset += 8) {
    headers.push_back({"fuzz", static_cast<uint8_t>(bytes[offset]) * 4u});
  }
  std::sort(headers.begin(), headers.end(),
            [](const auto& a, const auto& b) { return a.offset < b.offset; });
  headers.erase(std::unique(headers.begin(), headers.end(),
                            [](const auto& a, const auto& b) { return a.offset == b.offset; }),
                headers.end());
  (void)extract::ReadSet8s(bytes, headers, extract::WordOrder::kLittleEndian, "fuzz.BTF_ids");
}

void FuzzBzImage(std::string_view bytes) {
  if (!unpack::LooksLikeBzImage(bytes)) return;
  (void)unpack::BzImageRelease(bytes);
  (void)unpack::UnpackBzImage(bytes, FuzzLimits());
}

void FuzzArm64Image(std::string_view bytes) {
  (void)unpack::LooksLikeArm64Image(bytes);
  (void)unpack::CutArm64ImageSections(bytes);
}

// Codec detection, the embedded-stream search of bzImage payloads, and the
// decoder the input's magic selects (each codec's own seeds reach it).
void FuzzDecompress(std::string_view bytes) {
  size_t from = 0;
  for (int candidates = 0; candidates < 64; ++candidates) {
    auto stream = unpack::FindNextEmbeddedStream(bytes, from);
    if (!stream) break;
    from = stream->offset + 1;
  }
  auto codec = unpack::DetectCodec(bytes);
  if (!codec) return;
  (void)unpack::Decompress(*codec, bytes, FuzzLimits());
  unpack::DecompressLimits peek = FuzzLimits();
  peek.max_output = 4096;
  peek.truncate_at_limit = true;
  (void)unpack::Decompress(*codec, bytes, peek);
}

void FuzzDebPackage(std::string_view bytes) {
  const std::filesystem::path& path = InputFile::Write(bytes);
  (void)unpack::ReadDebControl(path);
  (void)unpack::ReadDebPackage(path, FuzzLimits());
}

void FuzzBpfObject(std::string_view bytes) {
  (void)client::ReadImportedKfuncs(InputFile::Write(bytes));
}

constexpr FuzzTarget kTargets[] = {
    {"elf_image", FuzzElfImage},
    {"extract_raw_btf", FuzzExtractRawBtf},
    {"extract_elf_vmlinux", FuzzExtractElfVmlinux},
    {"btf_ids_scan", FuzzBtfIdsScan},
    {"bzimage", FuzzBzImage},
    {"arm64_image", FuzzArm64Image},
    {"decompress", FuzzDecompress},
    {"deb_package", FuzzDebPackage},
    {"bpf_object", FuzzBpfObject},
};

}  // namespace

std::span<const FuzzTarget> AllFuzzTargets() { return kTargets; }

const FuzzTarget* FindFuzzTarget(std::string_view name) {
  for (const FuzzTarget& target : kTargets) {
    if (name == target.name) return &target;
  }
  return nullptr;
}

}  // namespace kfuncdb::fuzz
