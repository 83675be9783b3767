#include "base/read_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace lcsi {
namespace {

class ReadWholeFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lcsi-read-file-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(ReadWholeFileTest, ReadsEveryByteOfALargeBinaryFile) {
  std::string content;
  for (int i = 0; i < 100000; ++i) content.push_back(static_cast<char>(i % 251));
  const std::string path = dir_ + "/data";
  std::ofstream(path, std::ios::binary) << content;
  auto read = ReadWholeFile(path);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, content);
}

TEST_F(ReadWholeFileTest, EmptyFileIsEmpty) {
  const std::string path = dir_ + "/empty";
  std::ofstream(path).close();
  auto read = ReadWholeFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "");
}

TEST_F(ReadWholeFileTest, MissingFileOrDirectoryIsNotFoundNamingThePath) {
  auto missing = ReadWholeFile(dir_ + "/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find(dir_ + "/nope"), std::string::npos);
  const std::string file = dir_ + "/file";
  std::ofstream(file) << "x";
  auto under_a_file = ReadWholeFile(file + "/child");
  ASSERT_FALSE(under_a_file.ok());
  EXPECT_EQ(under_a_file.status().code(), Code::kNotFound);
}

TEST_F(ReadWholeFileTest, ADirectoryIsAnInternalErrorWithTheReason) {
  auto read = ReadWholeFile(dir_);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kInternal);
  EXPECT_NE(read.status().message().find("Is a directory"), std::string::npos)
      << read.status().message();
}

}  // namespace
}  // namespace lcsi
