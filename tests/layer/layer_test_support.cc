#include "layer/layer_test_support.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "layer/file_sink.h"
#include "layer/tar_header.h"
#include "support/test_env.h"

namespace plinth::layer::testing {

void MakeFixedTree(const std::string& dir, int64_t mtime) {
  using plinth::testing::WriteTestFile;
  WriteTestFile(dir + "/hello.txt", "hello, plinth\n", 0644);
  WriteTestFile(dir + "/bin/tool", "#!/bin/true\n", 04755);
  WriteTestFile(dir + "/etc/conf/app.conf", "key = value\n", 0600);
  ASSERT_EQ(symlink("../hello.txt", (dir + "/bin/hello").c_str()), 0);
  ASSERT_EQ(link((dir + "/hello.txt").c_str(), (dir + "/etc/hello-link.txt").c_str()), 0);
  for (const char* d : {"", "/bin", "/etc", "/etc/conf"}) chmod((dir + d).c_str(), 0755);
  Shell("find '" + dir + "' -exec touch -h -d @" + std::to_string(mtime) + " {} +");
}

LayerInfo BuildFromDir(const std::string& dir, const std::string& blob_path,
                       LayerOptions options) {
  LayerBuilder builder(options);
  Status added = builder.Add({dir, "/app"});
  EXPECT_TRUE(added) << added.error().ToString();
  auto sink = FileSink::Create(blob_path);
  EXPECT_TRUE(sink);
  auto info = builder.Build(*sink);
  EXPECT_TRUE(info) << info.error().ToString();
  EXPECT_TRUE(sink->Close());
  return info ? *info : LayerInfo{};
}

std::string RawTar(const std::vector<TarEntry>& entries, const std::string& content) {
  std::string out;
  for (TarEntry e : entries) {
    if (e.type == EntryType::kRegular) e.size = content.size();
    out += EncodeTarHeader(e);
    if (e.type == EntryType::kRegular) {
      out += content;
      out.append(TarPadding(content.size()), '\0');
    }
  }
  out.append(1024, '\0');
  return out;
}

std::string Shell(const std::string& command) {
  FILE* p = popen(command.c_str(), "r");
  EXPECT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << "command failed: " << command << "\n" << out;
  return out;
}

}  // namespace plinth::layer::testing
