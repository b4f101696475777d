// Whole-stream decompression for every codec: round trips through the
// codecs' own encoders (via the fixture builder), trailing data after the
// stream, truncation, corruption and the output limit.
#include "ingest/unpack/decompress.h"

#include <lz4frame.h>

#include <gtest/gtest.h>

#include "ingest/unpack/codec.h"
#include "tests/fixtures/image_builder.h"

namespace kfuncdb::unpack {
namespace {

using fixtures::PayloadCodec;

// Compressible but not trivial: a counter pattern with some text.
std::string SampleBytes(size_t size) {
  std::string bytes;
  bytes.reserve(size);
  for (uint32_t i = 0; bytes.size() < size; ++i) {
    bytes += "kfunc ";
    bytes += std::to_string(i * 2654435761u % 100000);
    bytes.push_back(static_cast<char>(i & 0xff));
  }
  bytes.resize(size);
  return bytes;
}

Codec ToCodec(PayloadCodec codec) {
  switch (codec) {
    case PayloadCodec::kGzip: return Codec::kGzip;
    case PayloadCodec::kXz: return Codec::kXz;
    case PayloadCodec::kLzma: return Codec::kLzma;
    case PayloadCodec::kBzip2: return Codec::kBzip2;
    case PayloadCodec::kLz4Legacy: return Codec::kLz4Legacy;
    case PayloadCodec::kLzo: return Codec::kLzo;
    case PayloadCodec::kZstd: return Codec::kZstd;
  }
  return Codec::kGzip;
}

class DecompressTest : public ::testing::TestWithParam<PayloadCodec> {};

TEST_P(DecompressTest, RoundTripsAndIgnoresTrailingData) {
  const std::string original = SampleBytes(600 << 10);
  absl::StatusOr<std::string> compressed = fixtures::CompressPayload(GetParam(), original);
  ASSERT_TRUE(compressed.ok()) << compressed.status();
  EXPECT_EQ(DetectCodec(*compressed), ToCodec(GetParam()));

  std::string with_trailer = *compressed + std::string("\x00\x60\x09\x00 trailing setup data", 24);
  absl::StatusOr<std::string> out = Decompress(ToCodec(GetParam()), with_trailer, {});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(*out == original) << "decompressed " << out->size() << " bytes, expected " << original.size();
}

TEST_P(DecompressTest, TruncatedStreamIsAnError) {
  absl::StatusOr<std::string> compressed = fixtures::CompressPayload(GetParam(), SampleBytes(600 << 10));
  ASSERT_TRUE(compressed.ok()) << compressed.status();
  std::string half = compressed->substr(0, compressed->size() / 2);
  absl::StatusOr<std::string> out = Decompress(ToCodec(GetParam()), half, {});
  ASSERT_FALSE(out.ok()) << "decoded " << out->size() << " bytes from half a stream";
  EXPECT_NE(out.status().message().find(CodecName(ToCodec(GetParam()))), std::string::npos) << out.status();
}

TEST_P(DecompressTest, OutputLimitStopsABomb) {
  // 8 MiB of zeros compresses to almost nothing: a small bomb.
  absl::StatusOr<std::string> compressed = fixtures::CompressPayload(GetParam(), std::string(8 << 20, '\0'));
  ASSERT_TRUE(compressed.ok()) << compressed.status();
  absl::StatusOr<std::string> out = Decompress(ToCodec(GetParam()), *compressed, {.max_output = 1 << 20});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted) << out.status();

  absl::StatusOr<std::string> head =
      Decompress(ToCodec(GetParam()), *compressed, {.max_output = 1000, .truncate_at_limit = true});
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(*head, std::string(1000, '\0'));
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, DecompressTest, ::testing::ValuesIn(fixtures::AllPayloadCodecs()),
                         [](const auto& info) { return std::string(fixtures::PayloadCodecName(info.param)); });

TEST(DecompressLz4LegacyTest, SpansSeveralEightMiBBlocks) {
  const std::string original = SampleBytes((17 << 20) + 12345);
  absl::StatusOr<std::string> compressed = fixtures::CompressPayload(PayloadCodec::kLz4Legacy, original);
  ASSERT_TRUE(compressed.ok()) << compressed.status();
  // The kernel appends the decompressed size after the stream.
  std::string payload = *compressed + std::string("\x39\x30\x10\x01", 4);
  absl::StatusOr<std::string> out = Decompress(Codec::kLz4Legacy, payload, {});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(*out == original);
}

TEST(DecompressLz4LegacyTest, StreamCutAfterFullBlocksIsAnError) {
  absl::StatusOr<std::string> compressed =
      fixtures::CompressPayload(PayloadCodec::kLz4Legacy, SampleBytes((17 << 20) + 12345));
  ASSERT_TRUE(compressed.ok()) << compressed.status();
  // Cut inside the third block: two full 8 MiB blocks decode first.
  std::string cut = compressed->substr(0, compressed->size() - 1000);
  absl::StatusOr<std::string> out = Decompress(Codec::kLz4Legacy, cut, {});
  ASSERT_FALSE(out.ok()) << "decoded " << out->size() << " bytes from a cut stream";
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
}

TEST(DecompressLz4FrameTest, RoundTripsAndDetectsTruncation) {
  const std::string original = SampleBytes(300 << 10);
  std::string frame(LZ4F_compressFrameBound(original.size(), nullptr), '\0');
  size_t written = LZ4F_compressFrame(frame.data(), frame.size(), original.data(), original.size(), nullptr);
  ASSERT_FALSE(LZ4F_isError(written));
  frame.resize(written);
  EXPECT_EQ(DetectCodec(frame), Codec::kLz4Frame);
  absl::StatusOr<std::string> out = Decompress(Codec::kLz4Frame, frame + "trailing", {});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(*out == original);
  EXPECT_FALSE(Decompress(Codec::kLz4Frame, frame.substr(0, frame.size() / 2), {}).ok());
}

TEST(DecompressTest, CorruptGzipNamesTheCodec) {
  absl::StatusOr<std::string> compressed = fixtures::CompressPayload(PayloadCodec::kGzip, SampleBytes(100000));
  ASSERT_TRUE(compressed.ok());
  for (size_t i = 20; i < 60; ++i) (*compressed)[i] = static_cast<char>(~(*compressed)[i]);
  absl::StatusOr<std::string> out = Decompress(Codec::kGzip, *compressed, {});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("gzip"), std::string::npos) << out.status();
}

TEST(DetectCodecTest, RecognisesMagicsOnly) {
  EXPECT_EQ(DetectCodec(std::string("\x28\xb5\x2f\xfd", 4)), Codec::kZstd);
  EXPECT_EQ(DetectCodec(std::string("\xfd" "7zXZ\0", 6)), Codec::kXz);
  EXPECT_EQ(DetectCodec("BZh9"), Codec::kBzip2);
  EXPECT_EQ(DetectCodec("BZhx"), std::nullopt);
  EXPECT_EQ(DetectCodec("\x7f" "ELF"), std::nullopt);
  EXPECT_EQ(DetectCodec(""), std::nullopt);
}

}  // namespace
}  // namespace kfuncdb::unpack
