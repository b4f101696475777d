#include "ingest/cli/record_table.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace kfuncdb::ingest_cli {
namespace {

constexpr int kColumns = 5;
using Row = std::array<std::string, kColumns>;

Row KfuncRow(const kfuncdb::v1::KfuncRecord& kfunc) {
  std::string flags = kfunc.has_flags()
                          ? absl::StrFormat("0x%x %s", kfunc.flags(), absl::StrJoin(kfunc.flag_names(), "|"))
                          : std::string("unknown");
  return {kfunc.name(), kfunc.has_set_name() ? kfunc.set_name() : "-", kfunc.owner(),
          flags, kfunc.prototype()};
}

}  // namespace

void PrintBuildRecordTable(const kfuncdb::v1::BuildRecord& record, std::ostream& out) {
  out << "kernel release  " << record.kernel_release() << "\n"
      << "release         " << record.release()
      << (record.upstream_version().empty() ? "" : " (upstream " + record.upstream_version() + ")")
      << "\n"
      << "arch            " << (record.arch().empty() ? "unknown" : record.arch()) << "\n";
  if (!record.flavour().empty()) out << "flavour         " << record.flavour() << "\n";
  if (!record.distribution().empty()) {
    out << "package         " << record.distribution() << " " << record.package_version() << "\n";
  }
  out << "inputs          " << absl::StrJoin(record.inputs(), ", ") << "\n"
      << "sha256          " << record.content_sha256() << "\n"
      << "flags           " << (record.flags_known() ? "known" : "unknown (no .BTF_ids)") << "\n"
      << "modules         " << record.modules_size() << " with kfuncs of "
      << record.modules_scanned() << " scanned\n"
      << "kfuncs          " << record.kfuncs_size() << "\n\n";

  std::vector<Row> rows = {{"NAME", "SET", "OWNER", "FLAGS", "PROTOTYPE"}};
  for (const auto& kfunc : record.kfuncs()) rows.push_back(KfuncRow(kfunc));
  std::array<size_t, kColumns> widths{};
  for (const Row& row : rows) {
    for (int i = 0; i < kColumns; ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (int i = 0; i < kColumns; ++i) {
      line += row[i];
      // The last column is not padded: no trailing blanks.
      if (i + 1 < kColumns) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
  if (record.diagnostics_size() > 0) {
    out << "\ndiagnostics:\n";
    for (const auto& diagnostic : record.diagnostics()) {
      out << "  " << diagnostic.origin() << ": " << diagnostic.message() << "\n";
    }
  }
}

}  // namespace kfuncdb::ingest_cli
