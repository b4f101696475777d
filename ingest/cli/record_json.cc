#include "ingest/cli/record_json.h"

namespace kfuncdb::ingest_cli {
namespace {

using nlohmann::json;

std::string_view SourceName(kfuncdb::v1::KfuncSource source) {
  switch (source) {
    case kfuncdb::v1::KFUNC_SOURCE_SET_SYMBOL: return "set_symbol";
    case kfuncdb::v1::KFUNC_SOURCE_SET_SCAN: return "set_scan";
    case kfuncdb::v1::KFUNC_SOURCE_DECL_TAG: return "decl_tag";
    default: return "unspecified";
  }
}

template <typename Repeated>
json StringList(const Repeated& items) {
  json list = json::array();
  for (const std::string& item : items) list.push_back(item);
  return list;
}

json KfuncToJson(const kfuncdb::v1::KfuncRecord& kfunc) {
  json object = json::object();
  object["name"] = kfunc.name();
  object["set"] = kfunc.has_set_name() ? json(kfunc.set_name()) : json(nullptr);
  object["set_flags"] = kfunc.has_set_flags() ? json(kfunc.set_flags()) : json(nullptr);
  object["owner"] = kfunc.owner();
  object["flags"] = kfunc.has_flags() ? json(kfunc.flags()) : json(nullptr);
  object["flag_names"] = StringList(kfunc.flag_names());
  object["stable"] = kfunc.stable();
  object["deprecated"] = kfunc.deprecated();
  object["prototype"] = kfunc.prototype();
  object["signature_hash"] = kfunc.signature_hash();
  object["decl_tags"] = StringList(kfunc.decl_tags());
  object["btf_id"] = kfunc.btf_id();
  object["source"] = SourceName(kfunc.source());
  return object;
}

}  // namespace

json BuildRecordToJson(const kfuncdb::v1::BuildRecord& record) {
  json object = json::object();
  object["kernel_release"] = record.kernel_release();
  object["release"] = record.release();
  object["upstream_version"] = record.upstream_version();
  object["arch"] = record.arch();
  object["flavour"] = record.flavour();
  object["distribution"] = record.distribution();
  object["package_version"] = record.package_version();
  object["lineage"] = record.lineage();
  object["content_sha256"] = record.content_sha256();
  object["inputs"] = StringList(record.inputs());
  object["flags_known"] = record.flags_known();
  object["modules_scanned"] = record.modules_scanned();
  json kfuncs = json::array();
  for (const auto& kfunc : record.kfuncs()) kfuncs.push_back(KfuncToJson(kfunc));
  object["kfuncs"] = std::move(kfuncs);
  json modules = json::array();
  for (const auto& module : record.modules()) {
    modules.push_back({{"name", module.name()},
                       {"path", module.path()},
                       {"vermagic_release", module.vermagic_release()},
                       {"kfunc_count", module.kfunc_count()}});
  }
  object["modules"] = std::move(modules);
  json diagnostics = json::array();
  for (const auto& diagnostic : record.diagnostics()) {
    diagnostics.push_back({{"origin", diagnostic.origin()}, {"message", diagnostic.message()}});
  }
  object["diagnostics"] = std::move(diagnostics);
  return object;
}

}  // namespace kfuncdb::ingest_cli
