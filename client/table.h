// Table: the rows a list command prints, rendered either as aligned columns
// for people or as CSV (RFC 4180) for scripts. Both renderings come from the
// same rows, so `--csv` parses back into exactly what the table shows.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kfuncdb::client {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}

  // Adds a row; it must have as many cells as the header (checked: extra
  // cells are dropped, missing ones are empty).
  void AddRow(std::vector<std::string> cells);

  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

  // Columns padded to their widest cell, two spaces apart; the last column
  // is not padded. A table without rows prints only its header;
  // `with_header` false leaves the header out (key/value listings), though
  // it still counts for the column widths.
  void WriteAligned(std::ostream& out, bool with_header = true) const;

  // Header line then one line per row, each cell quoted as RFC 4180 says
  // when it holds a comma, quote, CR or LF (quotes doubled). Lines end in
  // "\n" rather than RFC 4180's CRLF, as Unix tools expect.
  void WriteCsv(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// One CSV field, quoted only when needed.
std::string CsvField(const std::string& cell);

}  // namespace kfuncdb::client
