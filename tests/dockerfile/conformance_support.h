// Reading BuildKit's parser conformance data, kept in the repository under
// tests/dockerfile/data/buildkit-parser (see its FORMAT.md and NOTICE). Header-only; a missing
// file fails the test.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_env.h"

namespace plinth::dockerfile::conformance {

inline std::string Dir() { return plinth::testing::BuildKitParserDataDir(); }

inline std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing conformance file " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> SubDirs(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_directory()) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace plinth::dockerfile::conformance
