// The server over real Debian kernels: the 6.1 and 6.12 amd64 packages of
// the shared corpus, ingested through the real path (their lineages derived:
// debian-6.1, debian-6.12, and mainline for both). Facts checked are those
// the corpus README establishes by hand. Ingesting the two kernels is the
// expensive part, so it happens once, in one test.
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "proto/kfuncdb/v1/kfuncdb.grpc.pb.h"
#include "server/kfuncdb_server.h"
#include "tests/server/ingested_database.h"
#include "tests/server/loopback_server.h"
#include "tests/support/test_support.h"

namespace kfuncdb::server {
namespace {

using ::testing::Contains;
using ::testing::IsSupersetOf;

TEST(CorpusServerTest, AnswersAboutRealDebianKernels) {
  KFUNCDB_REQUIRE_CORPUS_FILE(kernel_6_1, "linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb");
  KFUNCDB_REQUIRE_CORPUS_FILE(kernel_6_12, "linux-image-6.12.118+deb13-cloud-amd64_6.12.118-1_amd64.deb");
  testing::ScratchDir dir;
  const std::filesystem::path database = dir / "corpus.db";
  ASSERT_TRUE(testing::IngestInputs(database, {kernel_6_1, kernel_6_12}, "").ok());

  std::unique_ptr<KfuncDbServer> server = testing::StartOnLoopback(database);
  ASSERT_NE(server, nullptr);
  auto stub = v1::KfuncDb::NewStub(testing::ChannelTo(*server));
  auto get = [&](const std::string& name, const std::string& lineage) {
    grpc::ClientContext context;
    v1::GetKfuncRequest request;
    request.set_name(name);
    request.set_lineage(lineage);
    v1::Kfunc kfunc;
    grpc::Status status = stub->GetKfunc(&context, request, &kfunc);
    EXPECT_TRUE(status.ok()) << name << ": " << status.error_message();
    return kfunc;
  };

  {
    SCOPED_TRACE("bpf_task_acquire arrived in 6.2, between the two ingested releases");
    v1::Kfunc kfunc = get("bpf_task_acquire", "");
    EXPECT_EQ(kfunc.lineage().name(), "mainline");
    EXPECT_FALSE(kfunc.lineage().example_data());
    EXPECT_EQ(kfunc.lifecycle().introduced_in().name(), "6.12");
    EXPECT_EQ(kfunc.lifecycle().introduced_after().name(), "6.1");
    EXPECT_FALSE(kfunc.lifecycle().introduced_exact()) << "6.2 .. 6.11 were not ingested: a range";
    EXPECT_EQ(kfunc.status(), v1::KFUNC_STATUS_UNSTABLE);
    ASSERT_FALSE(kfunc.flag_history().empty());
    EXPECT_EQ(kfunc.flag_history().rbegin()->flags(), 0x85u);
    EXPECT_THAT(kfunc.flag_history().rbegin()->flag_names(),
                IsSupersetOf({"KF_ACQUIRE", "KF_RET_NULL", "KF_RCU"}));
  }
  {
    SCOPED_TRACE("bit 3 was KF_KPTR_GET in 6.1; the test kfunc is gone in 6.12");
    v1::Kfunc kfunc = get("bpf_kfunc_call_test_kptr_get", "");
    EXPECT_EQ(kfunc.status(), v1::KFUNC_STATUS_REMOVED);
    EXPECT_EQ(kfunc.lifecycle().removed_in().name(), "6.12");
    EXPECT_FALSE(kfunc.lifecycle().removed_exact());
    ASSERT_FALSE(kfunc.flag_history().empty());
    EXPECT_EQ(kfunc.flag_history(0).flags(), 0xdu);
    EXPECT_THAT(kfunc.flag_history(0).flag_names(), Contains("KF_KPTR_GET"));
  }
  {
    SCOPED_TRACE("vmlinuz is stripped (sets found by scanning, unnamed); modules keep symbols");
    v1::Kfunc module_kfunc = get("bpf_xdp_ct_lookup", "");
    ASSERT_FALSE(module_kfunc.sets().empty());
    for (const auto& set : module_kfunc.sets()) {
      EXPECT_EQ(set.owner(), "nf_conntrack");
      EXPECT_FALSE(set.set_name().empty());
    }
    v1::Kfunc vmlinux_kfunc = get("bpf_task_acquire", "");
    ASSERT_EQ(vmlinux_kfunc.sets_size(), 1);
    EXPECT_EQ(vmlinux_kfunc.sets(0).owner(), "vmlinux");
    EXPECT_EQ(vmlinux_kfunc.sets(0).set_name(), "");
  }
  {
    SCOPED_TRACE("distribution lineages count upstream versions");
    grpc::ClientContext context;
    v1::ListLineagesResponse lineages;
    ASSERT_TRUE(stub->ListLineages(&context, v1::ListLineagesRequest(), &lineages).ok());
    std::map<std::string, v1::LineageKind> kinds;
    for (const auto& lineage : lineages.lineages()) kinds[lineage.name()] = lineage.kind();
    EXPECT_EQ(kinds["debian-6.1"], v1::LINEAGE_KIND_DISTRIBUTION);
    EXPECT_EQ(kinds["debian-6.12"], v1::LINEAGE_KIND_DISTRIBUTION);
    EXPECT_EQ(kinds["mainline"], v1::LINEAGE_KIND_MAINLINE);

    grpc::ClientContext releases_context;
    v1::ListReleasesRequest request;
    request.set_lineage("debian-6.1");
    v1::ListReleasesResponse releases;
    ASSERT_TRUE(stub->ListReleases(&releases_context, request, &releases).ok());
    ASSERT_EQ(releases.releases_size(), 1);
    EXPECT_EQ(releases.releases(0).name(), "6.1.192");
    EXPECT_EQ(releases.releases(0).mainline_release(), "6.1");
    EXPECT_EQ(get("crash_kexec", "debian-6.1").lifecycle().introduced_in().name(), "6.1.192");
  }
  {
    grpc::ClientContext context;
    v1::CheckCompatibilityRequest request;
    request.add_kfuncs("bpf_task_acquire");
    request.add_kfuncs("crash_kexec");
    request.add_targets()->set_release("6.1");
    request.add_targets()->set_release("6.12");
    v1::CheckCompatibilityResponse response;
    ASSERT_TRUE(stub->CheckCompatibility(&context, request, &response).ok());
    std::vector<v1::Verdict> verdicts;
    for (const auto& result : response.results()) verdicts.push_back(result.verdict());
    EXPECT_THAT(verdicts, ::testing::ElementsAre(v1::VERDICT_MISSING, v1::VERDICT_AVAILABLE,
                                                 v1::VERDICT_AVAILABLE, v1::VERDICT_AVAILABLE));
    EXPECT_EQ(response.overall(), v1::OVERALL_VERDICT_INCOMPATIBLE);
  }
  {
    grpc::ClientContext context;
    v1::DiffReleasesRequest request;
    request.mutable_from()->set_release("6.1");
    request.mutable_to()->set_release("6.12");
    v1::DiffReleasesResponse diff;
    ASSERT_TRUE(stub->DiffReleases(&context, request, &diff).ok());
    EXPECT_THAT(diff.added(), Contains("bpf_task_acquire"));
    EXPECT_THAT(diff.removed(), Contains("bpf_kfunc_call_test_kptr_get"));
  }
  {
    grpc::ClientContext context;
    v1::ListBuildsRequest request;
    request.set_release("6.1");
    v1::ListBuildsResponse builds;
    ASSERT_TRUE(stub->ListBuilds(&context, request, &builds).ok());
    ASSERT_EQ(builds.builds_size(), 1);
    EXPECT_EQ(builds.builds(0).kernel_release(), "6.1.0-56-cloud-amd64");
    EXPECT_EQ(builds.builds(0).lineage().name(), "debian-6.1");

    grpc::ClientContext get_context;
    v1::GetBuildRequest get;
    get.set_content_sha256(builds.builds(0).content_sha256());
    v1::Build build;
    ASSERT_TRUE(stub->GetBuild(&get_context, get, &build).ok());
    EXPECT_TRUE(build.flags_known());
    std::vector<std::string> modules;
    for (const auto& module : build.modules()) modules.push_back(module.name());
    EXPECT_THAT(modules, IsSupersetOf({"nf_conntrack", "nf_nat", "tcp_bbr", "tcp_dctcp"}));
  }
}

}  // namespace
}  // namespace kfuncdb::server
