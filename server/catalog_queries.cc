#include "server/catalog_queries.h"

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/absl_string_view.h"
#include "common/status_macros.h"
#include "server/page_token.h"
#include "server/query_support.h"
#include "server/request_validation.h"

namespace kfuncdb::server {
namespace {

absl::Status BadToken(std::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), ": not a page token of this server"));
}

// The columns ReadBuild expects, for "FROM builds b".
#define KFUNCDB_BUILD_COLUMNS                                                              \
  " b.id, b.content_sha256, b.kernel_release, b.release, b.upstream_version, b.arch, "    \
  "b.flavour, b.distribution, b.package_version, b.lineage_id, b.flags_known, "           \
  "b.modules_scanned, b.ingested_at, "                                                    \
  "(SELECT count(DISTINCT kfunc_name_id) FROM build_kfuncs WHERE build_id = b.id) "

void ReadBuild(const sqlite::Statement& stmt, const ServingCatalog& catalog, v1::Build* build) {
  build->set_id(stmt.ColumnInt64(0));
  build->set_content_sha256(stmt.ColumnString(1));
  build->set_kernel_release(stmt.ColumnString(2));
  build->set_release(stmt.ColumnString(3));
  build->set_upstream_version(stmt.ColumnString(4));
  build->set_arch(stmt.ColumnString(5));
  build->set_flavour(stmt.ColumnString(6));
  build->set_distribution(stmt.ColumnString(7));
  build->set_package_version(stmt.ColumnString(8));
  if (const ServingLineage* lineage = catalog.FindLineageById(LineageRowId(stmt.ColumnInt64(9)))) {
    *build->mutable_lineage() = lineage->proto;
  }
  build->set_flags_known(stmt.ColumnInt64(10) != 0);
  build->set_modules_scanned(static_cast<uint32_t>(stmt.ColumnInt64(11)));
  build->set_ingested_at(stmt.ColumnString(12));
  build->set_kfunc_count(static_cast<uint32_t>(stmt.ColumnInt64(13)));
}

}  // namespace

absl::Status ListLineagesQuery::Run(const v1::ListLineagesRequest& request, absl::Time deadline,
                                    v1::ListLineagesResponse* response) const {
  return pool_.Read(deadline, [&](const ReadContext& read) -> absl::Status {
    v1::ListLineagesResponse lineages;
    for (const ServingLineage& lineage : read.catalog.lineages()) {
      *lineages.add_lineages() = lineage.proto;
    }
    *response = std::move(lineages);
    return absl::OkStatus();
  });
}

absl::Status ListReleasesQuery::Run(const v1::ListReleasesRequest& request, absl::Time deadline,
                                    v1::ListReleasesResponse* response) const {
  KFUNCDB_ASSIGN_OR_RETURN(int page_size,
                           ValidatePageSize("ListReleasesRequest.page_size", request.page_size()));
  const std::string fingerprint = RequestFingerprint(
      {"ListReleases", request.lineage(), request.exclude_projected() ? "1" : "0"});
  KFUNCDB_ASSIGN_OR_RETURN(
      std::string after,
      DecodePageToken("ListReleasesRequest.page_token", request.page_token(), fingerprint));
  int64_t after_ordinal = -1;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_ordinal)) {
    return BadToken("ListReleasesRequest.page_token");
  }
  return pool_.Read(deadline, [&](const ReadContext& read) -> absl::Status {
    KFUNCDB_ASSIGN_OR_RETURN(
        const ServingLineage* lineage,
        ResolveLineage(read.catalog, "ListReleasesRequest.lineage", request.lineage()));
    v1::ListReleasesResponse page;
    *page.mutable_lineage() = lineage->proto;
    for (const v1::Release& point : lineage->points) {
      if (point.ordinal() <= after_ordinal) continue;
      if (request.exclude_projected() && point.projected()) continue;
      if (page.releases_size() == page_size) {
        page.set_next_page_token(
            EncodePageToken(fingerprint, absl::StrCat(page.releases().rbegin()->ordinal())));
        break;
      }
      *page.add_releases() = point;
    }
    *response = std::move(page);
    return absl::OkStatus();
  });
}

absl::Status ListViolationsQuery::Run(const v1::ListViolationsRequest& request,
                                      absl::Time deadline,
                                      v1::ListViolationsResponse* response) const {
  KFUNCDB_ASSIGN_OR_RETURN(int page_size,
                           ValidatePageSize("ListViolationsRequest.page_size", request.page_size()));
  if (!request.kfunc().empty()) {
    KFUNCDB_RETURN_IF_ERROR(ValidateKfuncName("ListViolationsRequest.kfunc", request.kfunc()));
  }
  if (!v1::ViolationKind_IsValid(request.kind())) {
    return absl::InvalidArgumentError(
        absl::StrCat("ListViolationsRequest.kind: unknown value ", request.kind()));
  }
  const std::string fingerprint = RequestFingerprint(
      {"ListViolations", request.lineage(), absl::StrCat(request.kind()), request.kfunc()});
  KFUNCDB_ASSIGN_OR_RETURN(
      std::string after,
      DecodePageToken("ListViolationsRequest.page_token", request.page_token(), fingerprint));
  // Key: "<kfunc>\x1f<point>\x1f<row id>", the sort order of the list.
  std::string after_name;
  int64_t after_point = -1, after_id = -1;
  if (!after.empty()) {
    std::vector<std::string> parts = absl::StrSplit(after, '\x1f');
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[1], &after_point) ||
        !absl::SimpleAtoi(parts[2], &after_id)) {
      return BadToken("ListViolationsRequest.page_token");
    }
    after_name = parts[0];
  }
  return pool_.Read(deadline, [&](const ReadContext& read) -> absl::Status {
    KFUNCDB_ASSIGN_OR_RETURN(
        const ServingLineage* lineage,
        ResolveLineage(read.catalog, "ListViolationsRequest.lineage", request.lineage()));
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * rows,
        read.db.Prepared("SELECT n.name, v.kind, v.point, v.detail, v.id FROM violations v "
                         "JOIN names n ON n.id = v.kfunc_name_id "
                         "WHERE v.lineage_id = ?1 AND (?2 = '' OR v.kind = ?2) "
                         "AND (?3 = '' OR n.name = ?3) AND (n.name, v.point, v.id) > (?4, ?5, ?6) "
                         "ORDER BY n.name, v.point, v.id LIMIT ?7"));
    KFUNCDB_RETURN_IF_ERROR(rows->BindAll(lineage->id.value(),
                                          std::string(ViolationKindColumn(request.kind())),
                                          request.kfunc(), after_name, after_point, after_id,
                                          page_size + 1));
    v1::ListViolationsResponse page;
    *page.mutable_lineage() = lineage->proto;
    std::string last_key;
    while (true) {
      KFUNCDB_ASSIGN_OR_RETURN(bool row, rows->Step());
      if (!row) break;
      if (page.violations_size() == page_size) {
        page.set_next_page_token(EncodePageToken(fingerprint, last_key));
        break;
      }
      v1::Violation* violation = page.add_violations();
      violation->set_kfunc(rows->ColumnString(0));
      KFUNCDB_ASSIGN_OR_RETURN(v1::ViolationKind kind, ViolationKindFromColumn(rows->ColumnText(1)));
      violation->set_kind(kind);
      SetPoint(*lineage, rows->ColumnInt64(2), violation->mutable_release());
      violation->set_detail(rows->ColumnString(3));
      last_key = absl::StrCat(violation->kfunc(), "\x1f", rows->ColumnInt64(2), "\x1f", rows->ColumnInt64(4));
    }
    rows->Reset();
    *response = std::move(page);
    return absl::OkStatus();
  });
}

absl::Status ListBuildsQuery::Run(const v1::ListBuildsRequest& request, absl::Time deadline,
                                  v1::ListBuildsResponse* response) const {
  KFUNCDB_ASSIGN_OR_RETURN(int page_size,
                           ValidatePageSize("ListBuildsRequest.page_size", request.page_size()));
  KFUNCDB_RETURN_IF_ERROR(ValidateOptionalIdentifier("ListBuildsRequest.arch", request.arch()));
  const std::string fingerprint = RequestFingerprint(
      {"ListBuilds", request.lineage(), request.release(), request.arch()});
  KFUNCDB_ASSIGN_OR_RETURN(
      std::string after,
      DecodePageToken("ListBuildsRequest.page_token", request.page_token(), fingerprint));
  int64_t after_id = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_id)) {
    return BadToken("ListBuildsRequest.page_token");
  }
  return pool_.Read(deadline, [&](const ReadContext& read) -> absl::Status {
    int64_t lineage_id = 0;
    if (!request.lineage().empty()) {
      KFUNCDB_ASSIGN_OR_RETURN(
          const ServingLineage* lineage,
          ResolveLineage(read.catalog, "ListBuildsRequest.lineage", request.lineage()));
      lineage_id = lineage->id.value();
    }
    if (!request.release().empty()) {
      KFUNCDB_RETURN_IF_ERROR(
          ResolveRelease(read.catalog, "ListBuildsRequest.release", request.release()).status());
    }
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * rows,
        read.db.Prepared("SELECT" KFUNCDB_BUILD_COLUMNS "FROM builds b "
                         "WHERE (?1 = 0 OR EXISTS (SELECT 1 FROM lineage_builds lb "
                         " WHERE lb.lineage_id = ?1 AND lb.build_id = b.id)) "
                         "AND (?2 = '' OR b.release = ?2) AND (?3 = '' OR b.arch = ?3) "
                         "AND b.id > ?4 ORDER BY b.id LIMIT ?5"));
    KFUNCDB_RETURN_IF_ERROR(rows->BindAll(lineage_id, request.release(), request.arch(), after_id,
                                          page_size + 1));
    v1::ListBuildsResponse page;
    while (true) {
      KFUNCDB_ASSIGN_OR_RETURN(bool row, rows->Step());
      if (!row) break;
      if (page.builds_size() == page_size) {
        page.set_next_page_token(EncodePageToken(fingerprint, absl::StrCat(page.builds().rbegin()->id())));
        break;
      }
      ReadBuild(*rows, read.catalog, page.add_builds());
    }
    rows->Reset();
    *response = std::move(page);
    return absl::OkStatus();
  });
}

absl::Status GetBuildQuery::Run(const v1::GetBuildRequest& request, absl::Time deadline,
                                v1::Build* response) const {
  switch (request.build_case()) {
    case v1::GetBuildRequest::kId:
      break;
    case v1::GetBuildRequest::kContentSha256:
      KFUNCDB_RETURN_IF_ERROR(ValidateSha256("GetBuildRequest.content_sha256", request.content_sha256()));
      break;
    case v1::GetBuildRequest::BUILD_NOT_SET:
      return absl::InvalidArgumentError("GetBuildRequest.build: set id or content_sha256");
  }
  return pool_.Read(deadline, [&](const ReadContext& read) -> absl::Status {
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * found,
        read.db.Prepared("SELECT" KFUNCDB_BUILD_COLUMNS "FROM builds b "
                         "WHERE b.id = ?1 OR b.content_sha256 = lower(?2)"));
    KFUNCDB_RETURN_IF_ERROR(found->BindAll(
        request.has_id() ? request.id() : int64_t{-1},
        request.has_content_sha256() ? request.content_sha256() : std::string()));
    KFUNCDB_ASSIGN_OR_RETURN(bool row, found->Step());
    if (!row) {
      return absl::NotFoundError(request.has_id()
                                     ? absl::StrCat("no build with id ", request.id())
                                     : absl::StrCat("no build with content_sha256 ", request.content_sha256()));
    }
    v1::Build build;
    ReadBuild(*found, read.catalog, &build);
    found->Reset();

    // builds.inputs is a JSON array of strings (written by the ingest worker).
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * inputs,
        read.db.Prepared("SELECT value FROM builds, json_each(builds.inputs) WHERE builds.id = ?1"));
    KFUNCDB_RETURN_IF_ERROR(inputs->BindAll(build.id()));
    while (true) {
      KFUNCDB_ASSIGN_OR_RETURN(bool more, inputs->Step());
      if (!more) break;
      build.add_inputs(inputs->ColumnString(0));
    }
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * modules,
        read.db.Prepared("SELECT name, path, vermagic_release, kfunc_count FROM build_modules "
                         "WHERE build_id = ?1 ORDER BY name"));
    KFUNCDB_RETURN_IF_ERROR(modules->BindAll(build.id()));
    while (true) {
      KFUNCDB_ASSIGN_OR_RETURN(bool more, modules->Step());
      if (!more) break;
      v1::BuildModule* module = build.add_modules();
      module->set_name(modules->ColumnString(0));
      module->set_path(modules->ColumnString(1));
      module->set_vermagic_release(modules->ColumnString(2));
      module->set_kfunc_count(static_cast<uint32_t>(modules->ColumnInt64(3)));
    }
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * diagnostics,
        read.db.Prepared("SELECT origin, message FROM build_diagnostics WHERE build_id = ?1 ORDER BY id"));
    KFUNCDB_RETURN_IF_ERROR(diagnostics->BindAll(build.id()));
    while (true) {
      KFUNCDB_ASSIGN_OR_RETURN(bool more, diagnostics->Step());
      if (!more) break;
      v1::BuildDiagnostic* diagnostic = build.add_diagnostics();
      diagnostic->set_origin(diagnostics->ColumnString(0));
      diagnostic->set_message(diagnostics->ColumnString(1));
    }
    *response = std::move(build);
    return absl::OkStatus();
  });
}

}  // namespace kfuncdb::server
