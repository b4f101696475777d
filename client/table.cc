#include "client/table.h"

#include <algorithm>

namespace kfuncdb::client {

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

void Table::WriteAligned(std::ostream& out, bool with_header) const {
  std::vector<size_t> widths(header_.size());
  auto widen = [&widths](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) widths[i] = std::max(widths[i], cells[i].size());
  };
  widen(header_);
  for (const auto& row : rows_) widen(row);

  auto write = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      line += cells[i];
      if (i + 1 < cells.size()) line.append(widths[i] - cells[i].size() + 2, ' ');
    }
    // Trailing blanks come from empty last cells; they only disturb diffs.
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  };
  if (with_header) write(header_);
  for (const auto& row : rows_) write(row);
}

std::string CsvField(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void Table::WriteCsv(std::ostream& out) const {
  auto write = [&out](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out << ',';
      out << CsvField(cells[i]);
    }
    out << '\n';
  };
  write(header_);
  for (const auto& row : rows_) write(row);
}

}  // namespace kfuncdb::client
