#include "common/sha256.h"

#include <gtest/gtest.h>

namespace kfuncdb {
namespace {

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(*Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(*Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 hash;
  hash.Update("a");
  hash.Update("bc");
  absl::StatusOr<std::string> digest = hash.HexDigest();
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(*digest, *Sha256Hex("abc"));
  EXPECT_FALSE(hash.HexDigest().ok()) << "a finalised hash cannot be read twice";
}

}  // namespace
}  // namespace kfuncdb
