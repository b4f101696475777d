#include "ingest/extract/btf_id_sets.h"

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/status_macros.h"

namespace kfuncdb::extract {
namespace {

constexpr std::string_view kSet8SymbolPrefix = "__BTF_ID__set8__";

// Bounds-checked view of a section as u32 words in the kernel's byte order.
class WordReader {
 public:
  WordReader(std::string_view bytes, WordOrder order) : bytes_(bytes), order_(order) {}

  size_t size() const { return bytes_.size(); }

  // The word at byte `offset`; nullopt when it does not fit.
  std::optional<uint32_t> At(size_t offset) const {
    if (offset > bytes_.size() || bytes_.size() - offset < 4) return std::nullopt;
    unsigned char b[4];
    std::memcpy(b, bytes_.data() + offset, 4);
    if (order_ == WordOrder::kLittleEndian) {
      return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
    }
    return uint32_t{b[3]} | uint32_t{b[2]} << 8 | uint32_t{b[1]} << 16 | uint32_t{b[0]} << 24;
  }

  // Whether a set8 with `count` pairs at `offset` fits entirely.
  bool Fits(size_t offset, uint64_t count) const {
    if (offset > bytes_.size()) return false;
    return (count + 1) * 8 <= bytes_.size() - offset;
  }

  // Reads a set8 known to fit.
  BtfIdSet8 ReadSet(size_t offset) const {
    BtfIdSet8 set;
    set.offset = offset;
    uint32_t count = *At(offset);
    set.header_flags = *At(offset + 4);
    set.pairs.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      size_t pair = offset + 8 + size_t{8} * i;
      set.pairs.push_back({BtfTypeId(*At(pair)), *At(pair + 4)});
    }
    return set;
  }

 private:
  std::string_view bytes_;
  WordOrder order_;
};

// The section as words plus, for every word, the length of the run of
// strictly ascending FUNC ids that starts there and continues every second
// word (the id slots of set8 pairs). With it each candidate header is judged
// in constant time, so a hostile section cannot make the scan quadratic.
class ScanIndex {
 public:
  ScanIndex(const WordReader& reader, IsFuncId is_func) : words_(reader.size() / 4), run_(words_.size()) {
    for (size_t i = 0; i < words_.size(); ++i) words_[i] = *reader.At(4 * i);
    for (size_t i = words_.size(); i-- > 0;) {
      if (!is_func(BtfTypeId(words_[i]))) continue;
      bool continues = i + 2 < words_.size() && words_[i + 2] > words_[i];
      run_[i] = 1 + (continues ? run_[i + 2] : 0);
    }
  }

  size_t size() const { return words_.size(); }

  // The acceptance test of the header file for a header at word `k`.
  bool LooksLikeSet8(size_t k, IsFuncId is_func) const {
    if (k + 2 > words_.size()) return false;
    uint64_t count = words_[k];
    if (count == 0 || count > (words_.size() - k - 2) / 2 || run_[k + 2] < count) return false;
    uint32_t header_flags = words_[k + 1];
    uint32_t first_id = words_[k + 2];
    return header_flags == 0 || header_flags >= first_id || !is_func(BtfTypeId(header_flags));
  }

 private:
  std::vector<uint32_t> words_;
  std::vector<uint64_t> run_;
};

}  // namespace

absl::StatusOr<std::vector<Set8Symbol>> FindSet8Symbols(const ElfImage& elf,
                                                        const ElfImage::Section& btf_ids) {
  std::vector<Set8Symbol> headers;
  absl::Status bad_symbol;
  KFUNCDB_RETURN_IF_ERROR(elf.ForEachSymbol([&](const ElfImage::Symbol& symbol) {
    if (symbol.section_index != btf_ids.index ||
        !absl::StartsWith(ToAbsl(symbol.name), ToAbsl(kSet8SymbolPrefix))) {
      return;
    }
    std::optional<uint64_t> offset = elf.SectionOffset(symbol, btf_ids);
    if (!offset) {
      bad_symbol = absl::InvalidArgumentError(absl::StrCat(
          elf.origin(), ": symbol ", ToAbsl(symbol.name), " (value 0x", absl::Hex(symbol.value),
          ") lies outside .BTF_ids (", btf_ids.bytes.size(), " bytes)"));
      return;
    }
    headers.push_back({std::string(symbol.name.substr(kSet8SymbolPrefix.size())), *offset});
  }));
  KFUNCDB_RETURN_IF_ERROR(bad_symbol);
  std::sort(headers.begin(), headers.end(),
            [](const Set8Symbol& a, const Set8Symbol& b) { return a.offset < b.offset; });
  headers.erase(std::unique(headers.begin(), headers.end(),
                            [](const Set8Symbol& a, const Set8Symbol& b) { return a.offset == b.offset; }),
                headers.end());
  return headers;
}

absl::StatusOr<std::vector<BtfIdSet8>> ReadSet8s(std::string_view btf_ids,
                                                 const std::vector<Set8Symbol>& headers,
                                                 WordOrder order, std::string_view origin) {
  WordReader words(btf_ids, order);
  std::vector<BtfIdSet8> sets;
  sets.reserve(headers.size());
  for (const Set8Symbol& header : headers) {
    std::optional<uint32_t> count = words.At(header.offset);
    if (!count || !words.Fits(header.offset, *count)) {
      return absl::InvalidArgumentError(absl::StrCat(
          ToAbsl(origin), ": .BTF_ids: set8 ", header.name, " at offset 0x",
          absl::Hex(header.offset), count ? absl::StrCat(" has cnt ", *count, ", needs ",
                                                         (uint64_t{*count} + 1) * 8, " bytes,")
                                          : std::string(" has no room for its header;"),
          " but the section has ", btf_ids.size(), " bytes"));
    }
    BtfIdSet8 set = words.ReadSet(header.offset);
    set.name = header.name;
    sets.push_back(std::move(set));
  }
  return sets;
}

std::vector<BtfIdSet8> ScanSet8s(std::string_view btf_ids, WordOrder order, IsFuncId is_func) {
  WordReader reader(btf_ids, order);
  ScanIndex index(reader, is_func);
  std::vector<BtfIdSet8> sets;
  size_t k = 0;
  while (k < index.size()) {
    if (index.LooksLikeSet8(k, is_func)) {
      sets.push_back(reader.ReadSet(4 * k));
      k += 2 * (sets.back().pairs.size() + 1);
    } else {
      ++k;
    }
  }
  return sets;
}

}  // namespace kfuncdb::extract
