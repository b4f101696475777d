// ReadImportedKfuncs on BPF objects clang compiled at build time
// (tests/client/bpf/), and on hostile files: not ELF, the wrong machine,
// truncated at every length, corrupted bytes.
#include "client/bpf_object_kfuncs.h"

#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace kfuncdb::client {
namespace {

using ::kfuncdb::testing::ReadFileOrFail;
using ::kfuncdb::testing::ScratchDir;
using ::kfuncdb::testing::WriteFileOrFail;

std::filesystem::path BpfObject(const std::string& name) {
  return std::filesystem::path(KFUNCDB_CLIENT_BPF_DIR) / name;
}

// An in-memory file (memfd) reachable by path, for the thousands of
// mutated objects below: no disk I/O per case.
class MemoryFile {
 public:
  MemoryFile() : fd_(memfd_create("kfuncdb-test-object", 0)) {
    EXPECT_GE(fd_, 0) << "memfd_create: " << strerror(errno);
  }
  ~MemoryFile() { close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  // Replaces the contents.
  void Set(const std::string& bytes) {
    ASSERT_EQ(ftruncate(fd_, 0), 0);
    ASSERT_EQ(pwrite(fd_, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
  }
  std::filesystem::path path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

TEST(BpfObjectKfuncsTest, ReadsTheExternFunctionsOfKsyms) {
  auto kfuncs = ReadImportedKfuncs(BpfObject("task_acquire.bpf.o"));
  ASSERT_TRUE(kfuncs.ok()) << kfuncs.status();
  EXPECT_EQ(*kfuncs, (std::vector<std::string>{"bpf_task_acquire", "bpf_task_release"}));
}

TEST(BpfObjectKfuncsTest, KeepsWeakKfuncsAndLeavesKernelVariablesOut) {
  auto kfuncs = ReadImportedKfuncs(BpfObject("unknown_kfunc.bpf.o"));
  ASSERT_TRUE(kfuncs.ok()) << kfuncs.status();
  // bpf_prog_active is an extern VAR in .ksyms, not a kfunc.
  EXPECT_EQ(*kfuncs, (std::vector<std::string>{"bpf_kfuncdb_no_such_kfunc", "bpf_task_acquire",
                                               "bpf_task_release"}));
}

TEST(BpfObjectKfuncsTest, AProgramWithoutKfuncsImportsNone) {
  auto kfuncs = ReadImportedKfuncs(BpfObject("no_kfuncs.bpf.o"));
  ASSERT_TRUE(kfuncs.ok()) << kfuncs.status();
  EXPECT_TRUE(kfuncs->empty());
}

TEST(BpfObjectKfuncsTest, AnObjectWithoutBtfAsksForDashG) {
  auto kfuncs = ReadImportedKfuncs(BpfObject("no_btf.bpf.o"));
  ASSERT_TRUE(absl::IsInvalidArgument(kfuncs.status())) << kfuncs.status();
  EXPECT_NE(kfuncs.status().message().find("-g"), absl::string_view::npos) << kfuncs.status();
}

TEST(BpfObjectKfuncsTest, AMissingFileIsNotFound) {
  ScratchDir dir;
  auto kfuncs = ReadImportedKfuncs(dir / "absent.bpf.o");
  EXPECT_TRUE(absl::IsNotFound(kfuncs.status())) << kfuncs.status();
  EXPECT_NE(kfuncs.status().message().find("absent.bpf.o"), absl::string_view::npos);
}

TEST(BpfObjectKfuncsTest, RejectsFilesThatAreNotElf) {
  ScratchDir dir;
  for (const std::string& bytes : {std::string(), std::string("\x7f" "EL"),
                                   std::string("int main(void) { return 0; }\n")}) {
    WriteFileOrFail(dir / "x.bpf.o", bytes);
    auto kfuncs = ReadImportedKfuncs(dir / "x.bpf.o");
    ASSERT_TRUE(absl::IsInvalidArgument(kfuncs.status())) << kfuncs.status();
    EXPECT_NE(kfuncs.status().message().find("not an ELF file"), absl::string_view::npos)
        << kfuncs.status();
  }
}

TEST(BpfObjectKfuncsTest, RejectsAnElfForAnotherMachine) {
  // This test binary is an ELF for the host, not for BPF.
  auto kfuncs = ReadImportedKfuncs("/proc/self/exe");
  ASSERT_TRUE(absl::IsInvalidArgument(kfuncs.status())) << kfuncs.status();
  EXPECT_NE(kfuncs.status().message().find("not BPF"), absl::string_view::npos)
      << kfuncs.status();
}

// Every prefix of a real object: a clear error or (for lengths that keep
// every section libbpf reads) the right answer, never a crash. ASan builds
// turn any out-of-bounds read into a failure.
TEST(BpfObjectKfuncsTest, EveryTruncationFailsCleanly) {
  const std::string object = ReadFileOrFail(BpfObject("task_acquire.bpf.o"));
  ASSERT_GT(object.size(), 64u);
  MemoryFile file;
  const std::string path = file.path().string();
  int rejected = 0;
  for (size_t length = 0; length < object.size(); ++length) {
    file.Set(object.substr(0, length));
    auto kfuncs = ReadImportedKfuncs(path);
    if (kfuncs.ok()) {
      EXPECT_EQ(*kfuncs, (std::vector<std::string>{"bpf_task_acquire", "bpf_task_release"}))
          << "length " << length;
    } else {
      ++rejected;
      EXPECT_TRUE(absl::IsInvalidArgument(kfuncs.status())) << length << ": " << kfuncs.status();
      EXPECT_NE(kfuncs.status().message().find(path), absl::string_view::npos);
    }
  }
  EXPECT_GT(rejected, 0);
}

// Overwrites each byte in turn with 0xff: headers, section tables, BTF
// header and type records all get hit. Only the absence of crashes and of
// non-InvalidArgument errors is asserted: some flips are harmless.
TEST(BpfObjectKfuncsTest, CorruptedBytesNeverCrash) {
  const std::string object = ReadFileOrFail(BpfObject("unknown_kfunc.bpf.o"));
  MemoryFile file;
  for (size_t offset = 0; offset < object.size(); ++offset) {
    std::string corrupt = object;
    corrupt[offset] = static_cast<char>(0xff);
    file.Set(corrupt);
    auto kfuncs = ReadImportedKfuncs(file.path());
    if (!kfuncs.ok()) {
      EXPECT_TRUE(absl::IsInvalidArgument(kfuncs.status())) << offset << ": " << kfuncs.status();
    }
  }
}

}  // namespace
}  // namespace kfuncdb::client
