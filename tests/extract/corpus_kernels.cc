#include "tests/extract/corpus_kernels.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "tests/support/test_support.h"

namespace kfuncdb::testing {
namespace {

namespace fs = std::filesystem;

std::string Quote(const fs::path& path) {
  std::string quoted = "'";
  for (char c : path.string()) {
    if (c == '\'') quoted += "'\\''";
    else quoted += c;
  }
  return quoted + "'";
}

bool Run(const std::string& command, std::string* error) {
  if (std::system(command.c_str()) == 0) return true;
  *error = "command failed: " + command;
  return false;
}

// Writes the compressed payload of the bzImage at `vmlinuz` and decompresses
// it to `out`. The tools complain about the bytes after the payload; their
// exit status is ignored and the output is checked for the ELF magic instead.
bool DecompressBzImage(const fs::path& vmlinuz, const fs::path& out, std::string* error) {
  std::string image = ReadFileOrFail(vmlinuz);
  struct Codec {
    std::string magic;
    std::string tool;
  };
  const Codec codecs[] = {{std::string("\x02\x21\x4c\x18", 4), "lz4 -dc"},
                          {std::string("\x28\xb5\x2f\xfd", 4), "zstd -dc"}};
  for (const Codec& codec : codecs) {
    size_t at = image.find(codec.magic);
    if (at == std::string::npos) continue;
    fs::path payload = out.string() + ".payload";
    {
      std::ofstream file(payload, std::ios::binary);
      file.write(image.data() + at, static_cast<std::streamsize>(image.size() - at));
    }
    std::system((codec.tool + " < " + Quote(payload) + " > " + Quote(out) + " 2>/dev/null").c_str());
    fs::remove(payload);
    char head[4] = {};
    std::ifstream(out, std::ios::binary).read(head, 4);
    if (std::string(head, 4) == "\x7f" "ELF") return true;
    *error = "decompressing " + vmlinuz.string() + " with " + codec.tool + " gave no ELF";
    return false;
  }
  *error = vmlinuz.string() + ": no lz4 or zstd payload found";
  return false;
}

bool Prepare(const fs::path& deb, const fs::path& dir, std::string* error) {
  fs::remove_all(dir / "root");
  fs::create_directories(dir / "root");
  if (!Run("dpkg-deb -x " + Quote(deb) + " " + Quote(dir / "root"), error)) return false;
  fs::path vmlinuz;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "root")) {
    if (entry.path().filename().string().rfind("vmlinuz", 0) == 0) vmlinuz = entry.path();
  }
  // Split packaging (7.x): the modules package has no kernel.
  if (!vmlinuz.empty() && !DecompressBzImage(vmlinuz, dir / "vmlinux", error)) return false;
  if (!Run("find " + Quote(dir / "root") + " -name '*.ko.xz' -exec xz -d {} +", error)) return false;
  std::ofstream(dir / "done") << "ok\n";
  return true;
}

}  // namespace

bool UnpackCorpusKernel(const std::string& deb_name, CorpusKernel* kernel, std::string* error) {
  std::optional<fs::path> deb = CorpusFile(deb_name);
  if (!deb) {
    *error = "corpus file missing: " + (CorpusDir() / deb_name).string();
    return false;
  }
  fs::path dir = fs::path(KFUNCDB_BINARY_DIR) / "corpus-cache" / deb_name;
  fs::create_directories(dir);
  int lock = open((dir / ".lock").c_str(), O_CREAT | O_RDWR, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    *error = "cannot lock " + (dir / ".lock").string();
    if (lock >= 0) close(lock);
    return false;
  }
  bool ok = fs::exists(dir / "done") || Prepare(*deb, dir, error);
  close(lock);  // releases the lock
  if (!ok) return false;
  kernel->vmlinux = fs::exists(dir / "vmlinux") ? dir / "vmlinux" : fs::path();
  kernel->modules.clear();
  for (const auto& entry : fs::recursive_directory_iterator(dir / "root")) {
    if (entry.path().extension() == ".ko") kernel->modules.push_back(entry.path());
  }
  std::sort(kernel->modules.begin(), kernel->modules.end());
  return true;
}

}  // namespace kfuncdb::testing
