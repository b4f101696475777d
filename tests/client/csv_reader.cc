#include "tests/client/csv_reader.h"

namespace kfuncdb::client::testing {

std::optional<CsvRecords> ParseCsv(const std::string& text) {
  CsvRecords records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool in_record = false;  // something (even an empty field) seen on this line
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    if (c == '"') {
      quoted = in_record = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      in_record = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      in_record = false;
    } else {
      field += c;
      in_record = true;
    }
  }
  if (quoted) return std::nullopt;
  if (in_record) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace kfuncdb::client::testing
