#include "e2e/image_unpack_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::testing {

std::string UnpackStoreImage(const std::string& store, const std::string& image,
                             const std::string& dir) {
  std::filesystem::create_directories(dir);
  auto copied = Run({"skopeo", "copy", "--quiet", "--dest-compress", "--dest-compress-format",
                     "gzip", "oci:" + store + ":" + image, "oci:" + dir + "/gz:image"});
  EXPECT_EQ(copied.exit_code, 0) << "skopeo copy: " << copied.err;
  if (copied.exit_code != 0) return "";
  auto unpacked = Run({"umoci", "unpack", "--image", dir + "/gz:image", dir + "/bundle"});
  EXPECT_EQ(unpacked.exit_code, 0) << "umoci unpack: " << unpacked.err;
  return unpacked.exit_code == 0 ? dir + "/bundle/rootfs" : "";
}

void ExpectEngineImageHoldsTheRunOutput(const std::string& store, const std::string& image) {
  ScratchDir scratch;
  auto inspect = Run({"skopeo", "inspect", "oci:" + store + ":" + image});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  auto j = nlohmann::json::parse(inspect.out);
  EXPECT_EQ(j["Architecture"], "amd64");
  EXPECT_EQ(j["Labels"]["org.opencontainers.image.title"], "lucid-blockchain-engine");
  std::string rootfs = UnpackStoreImage(store, image, scratch.path());
  ASSERT_FALSE(rootfs.empty());
  auto pyc = ReadFile(rootfs + "/app/server.pyc");
  ASSERT_TRUE(pyc) << "the RUN's output is not in the image";
  ASSERT_GT(pyc->size(), 16u);
  EXPECT_EQ(pyc->substr(2, 2), "\r\n");
  EXPECT_FALSE(std::filesystem::exists(rootfs + "/app/server.py"));
}

}  // namespace plinth::testing
