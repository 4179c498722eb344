#include "util/sha256.h"

#include <gtest/gtest.h>

#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth {
namespace {

TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(Sha256::HexOf(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256::HexOf("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.bytes(), 3u);
  EXPECT_EQ(h.FinishHex(), Sha256::HexOf("abc"));
}

TEST(AtomicFileTest, PublishesOnlyOnCommit) {
  auto dir = TempDir::Create();
  ASSERT_TRUE(dir.ok());
  std::string path = dir->path() + "/f";
  {
    auto f = AtomicFile::Create(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE(f->Write("half").ok());
    EXPECT_FALSE(PathExists(path));
  }  // destroyed without commit
  EXPECT_FALSE(PathExists(path));
  ASSERT_TRUE(WriteFileAtomic(path, "whole").ok());
  EXPECT_EQ(*ReadFile(path), "whole");
}

TEST(SubprocessTest, CapturesOutputAndExitCode) {
  auto r = RunProcess({"sh", "-c", "cat; echo err >&2; exit 3"}, {.stdin_data = "in"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "in");
  EXPECT_EQ(r->err, "err\n");
  auto missing = RunProcess({"/nonexistent/program"});
  EXPECT_FALSE(missing.ok());
}

}  // namespace
}  // namespace plinth
