// Table renders the same rows aligned and as CSV; the CSV parses back.
#include "client/table.h"

#include <sstream>

#include <gtest/gtest.h>

#include "tests/client/csv_reader.h"

namespace kfuncdb::client {
namespace {

TEST(ClientTableTest, AlignsColumnsToTheWidestCellWithoutTrailingBlanks) {
  Table table({"KFUNC", "STATUS", "NOTE"});
  table.AddRow({"bpf_task_acquire", "stable", ""});
  table.AddRow({"bpf_rcu_read_lock", "unstable", "x"});
  std::ostringstream out;
  table.WriteAligned(out);
  EXPECT_EQ(out.str(),
            "KFUNC              STATUS    NOTE\n"
            "bpf_task_acquire   stable\n"
            "bpf_rcu_read_lock  unstable  x\n");
}

TEST(ClientTableTest, LeavesTheHeaderOutOnRequestButKeepsItsWidth) {
  Table table({"KEY_IS_WIDE", ""});
  table.AddRow({"status", "stable"});
  std::ostringstream out;
  table.WriteAligned(out, /*with_header=*/false);
  EXPECT_EQ(out.str(), "status       stable\n");
}

TEST(ClientTableTest, PadsShortRowsAndDropsExtraCells) {
  Table table({"A", "B"});
  table.AddRow({"1"});
  table.AddRow({"1", "2", "3"});
  ASSERT_EQ(table.rows().size(), 2u);
  EXPECT_EQ(table.rows()[0], (std::vector<std::string>{"1", ""}));
  EXPECT_EQ(table.rows()[1], (std::vector<std::string>{"1", "2"}));
}

TEST(ClientTableTest, QuotesCsvFieldsOnlyWhenRfc4180RequiresIt) {
  EXPECT_EQ(CsvField("plain text"), "plain text");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField(""), "");
}

TEST(ClientTableTest, CsvParsesBackIntoTheSameRows) {
  Table table({"KFUNC", "PROTOTYPE", "DETAIL"});
  table.AddRow({"bpf_obj_new_impl", "void *bpf_obj_new_impl(u64 local_type_id__k, void *meta__ign)",
                "flags \"0x5\" in 6.1,\nnone in 6.2"});
  table.AddRow({"", "", ""});
  table.AddRow({"x", "trailing comma,", "\"\""});
  std::ostringstream out;
  table.WriteCsv(out);

  std::optional<testing::CsvRecords> records = testing::ParseCsv(out.str());
  ASSERT_TRUE(records.has_value()) << out.str();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[0], table.header());
  for (size_t i = 0; i < table.rows().size(); ++i) EXPECT_EQ((*records)[i + 1], table.rows()[i]);
}

TEST(ClientCsvReaderTest, RejectsAnUnterminatedQuote) {
  EXPECT_FALSE(testing::ParseCsv("a,\"b\n").has_value());
}

}  // namespace
}  // namespace kfuncdb::client
