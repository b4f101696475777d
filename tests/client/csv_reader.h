// A small RFC 4180 reader, so tests can check that `kfuncdb --csv` output
// parses back into the rows the command meant (quotes, commas, newlines in
// cells included).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kfuncdb::client::testing {

using CsvRecords = std::vector<std::vector<std::string>>;

// Records of `text` (lines ending in "\n" or "\r\n"); nullopt on an
// unterminated quoted field.
std::optional<CsvRecords> ParseCsv(const std::string& text);

}  // namespace kfuncdb::client::testing
