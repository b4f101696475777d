#include "ingest/cli/split_packages.h"

#include <string_view>

namespace kfuncdb::ingest_cli {
namespace {

constexpr std::string_view kBinary = "linux-binary-";
constexpr std::string_view kModules = "linux-modules-";

}  // namespace

std::string MissingSplitSibling(const unpack::BuildPlan& plan) {
  std::string binary_of, modules_of;  // the release named by each package present
  for (const unpack::InputFile& file : plan.files) {
    const std::string& name = file.package.name;
    if (name.starts_with(kBinary)) binary_of = name.substr(kBinary.size());
    if (name.starts_with(kModules)) modules_of = name.substr(kModules.size());
  }
  if (!binary_of.empty() && modules_of.empty()) return std::string(kModules) + binary_of;
  if (binary_of.empty() && !modules_of.empty()) return std::string(kBinary) + modules_of;
  return "";
}

}  // namespace kfuncdb::ingest_cli
