#include "ingest/extract/linux_banner.h"

#include <algorithm>
#include <functional>

namespace kfuncdb::extract {
namespace {

constexpr std::string_view kBannerPrefix = "Linux version ";
constexpr size_t kMaxBannerLength = 512;

}  // namespace

std::optional<LinuxBanner> ParseLinuxBanner(std::string_view bytes) {
  if (bytes.substr(0, kBannerPrefix.size()) != kBannerPrefix) return std::nullopt;
  std::string_view text = bytes.substr(0, kMaxBannerLength);
  text = text.substr(0, text.find_first_of(std::string_view("\n\0", 2)));
  std::string_view release = text.substr(kBannerPrefix.size());
  release = release.substr(0, release.find(' '));
  // A release is printable and has no spaces; anything else is a false hit.
  if (release.empty() || !std::all_of(release.begin(), release.end(),
                                      [](char c) { return c > ' ' && c < 0x7f; })) {
    return std::nullopt;
  }
  return LinuxBanner{std::string(text), std::string(release)};
}

std::optional<LinuxBanner> SearchLinuxBanner(std::string_view bytes) {
  std::boyer_moore_horspool_searcher searcher(kBannerPrefix.begin(), kBannerPrefix.end());
  auto from = bytes.begin();
  while (true) {
    auto hit = std::search(from, bytes.end(), searcher);
    if (hit == bytes.end()) return std::nullopt;
    size_t offset = static_cast<size_t>(hit - bytes.begin());
    if (std::optional<LinuxBanner> banner = ParseLinuxBanner(bytes.substr(offset))) return banner;
    from = hit + 1;
  }
}

std::optional<LinuxBanner> FindLinuxBanner(const ElfImage& elf, std::string_view elf_bytes) {
  std::optional<ElfImage::Section> rodata = elf.FindSection(".rodata");
  if (rodata && elf.has_symbols()) {
    std::optional<LinuxBanner> by_symbol;
    // A malformed .symtab only loses this shortcut; the search below still runs.
    (void)elf.ForEachSymbol([&](const ElfImage::Symbol& symbol) {
      if (by_symbol || symbol.name != "linux_banner" || symbol.section_index != rodata->index) return;
      if (std::optional<uint64_t> offset = elf.SectionOffset(symbol, *rodata)) {
        by_symbol = ParseLinuxBanner(rodata->bytes.substr(*offset));
      }
    });
    if (by_symbol) return by_symbol;
  }
  if (rodata) {
    if (std::optional<LinuxBanner> banner = SearchLinuxBanner(rodata->bytes)) return banner;
  }
  return SearchLinuxBanner(elf_bytes);
}

}  // namespace kfuncdb::extract
