// End to end: `plinth build` progress. Under a pseudo-terminal (forkpty, as a user's shell
// would run it) the default is BuildKit-style live view, redrawn in place with ANSI cursor-up
// and clear-line codes, naming each running target with its current step; `--progress plain`
// and pipes get one line per event and no escape codes; `--format json` streams step events
// and ends with the summary; a bad `--progress` value is exit 2 naming the flag.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <nlohmann/json.hpp>

#include "e2e/pty_support.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using testing::RunInPty;
using testing::RunPlinth;

// One service for two platforms whose COPY moves 128 MB of random letters (four bits of entropy
// a byte: gzip has to work on every chunk, none is stored as incompressible), so each target is
// running for a good while (many redraws) before it finishes.
void WriteFleet(const std::string& dir) {
  testing::WriteTestFile(dir + "/plinth.yaml", R"(version: 1
namespace: pickme
image: "{namespace}/progress-{name}:latest-{arch}"
platforms: [linux/amd64, linux/arm64]
tiers:
  app: {}
groups:
  apps: {phase: 1}
services:
  web:
    dockerfile: web/Dockerfile
    tier: app
    group: apps
)");
  testing::WriteTestFile(dir + "/web/Dockerfile", "FROM scratch\nCOPY big/ /data/\nUSER 65532\n");
  testing::WriteTestFile(dir + "/web/big/.keep", "");
  std::ofstream out(dir + "/web/big/blob.bin", std::ios::binary);
  uint64_t x = 0x9E3779B97F4A7C15ull;
  std::vector<char> block(1 << 19);
  for (int i = 0; i < 256; ++i) {  // 256 × 512 KiB
    for (size_t b = 0; b < block.size(); b += 8) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift64: reproducible
      for (int k = 0; k < 8; ++k) block[b + k] = static_cast<char>('a' + ((x >> (8 * k)) & 15));
    }
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
}

class ProgressTest : public ::testing::Test {
 protected:
  void SetUp() override { WriteFleet(dir_ / "fleet"); }
  std::string Store() const { return dir_ / "store"; }
  testing::ScratchDir dir_;
};

TEST_F(ProgressTest, TerminalGetsALiveViewOfRunningTargetsAndTheSummary) {
  auto r = RunInPty({"--store", Store(), "build"}, dir_ / "fleet");  // --progress auto
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // Redrawn in place: cursor up one line, clear it.
  EXPECT_NE(r.out.find("\x1b[1A\x1b[2K"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[+] Building"), std::string::npos) << r.out;
  // A live line: target, its step, elapsed time.
  EXPECT_NE(r.out.find(" => web@linux/amd64  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" => web@linux/arm64  "), std::string::npos) << r.out;
  std::regex copy_line(" => web@linux/(amd64|arm64)  \\[2/3\\] COPY big/ /data/  ");
  EXPECT_TRUE(std::regex_search(r.out, copy_line)) << r.out;
  // Bytes put into the layer so far, while the COPY runs.
  std::regex bytes_line(" => web@linux/(amd64|arm64)  \\[2/3\\] COPY big/ /data/  "
                        "[0-9.]+ (kB|MB)  [0-9]+\\.[0-9]s");
  EXPECT_TRUE(std::regex_search(r.out, bytes_line)) << r.out;
  // Permanent lines for finished targets and the index, then the summary.
  EXPECT_NE(r.out.find("=> DONE    web@linux/amd64  pickme/progress-web:latest-amd64"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("=> INDEX   pickme/progress-web:latest  linux/amd64, linux/arm64"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(2/2) FINISHED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("built 2, cached 0, failed 0, skipped 0"), std::string::npos) << r.out;
  // No line of the live area is wider than the terminal (a wrapped line breaks the redraw).
  size_t start = 0;
  while (start < r.out.size()) {
    size_t end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    std::string line = r.out.substr(start, end - start);
    if (line.find(" => ") != std::string::npos) {
      auto last_clear = line.rfind("\x1b[2K");
      std::string shown = line.substr(last_clear == std::string::npos ? 0 : last_clear + 4);
      EXPECT_LT(shown.size(), 121u) << shown;
    }
    start = end + 1;
  }

  // --progress tty asks for it explicitly; a cached rebuild shows CACHED lines.
  auto again = RunInPty({"--store", Store(), "build", "--progress", "tty"}, dir_ / "fleet");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("=> CACHED  web@linux/arm64"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("built 0, cached 2"), std::string::npos) << again.out;
}

TEST_F(ProgressTest, PlainIsOneLinePerEventAndStepWithNoEscapes) {
  auto plain = RunInPty({"--store", Store(), "build", "--progress", "plain"}, dir_ / "fleet");
  ASSERT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_EQ(plain.out.find("\x1b["), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("[start]  web@linux/amd64"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("[step]   web@linux/arm64  [2/3] COPY big/ /data/"), std::string::npos)
      << plain.out;
  EXPECT_NE(plain.out.find("[built]  web@linux/arm64"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("[index]  pickme/progress-web:latest"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("built 2, cached 0"), std::string::npos) << plain.out;

  // Not a terminal, --progress auto: event lines as before, no steps, no escapes.
  auto piped = RunPlinth({"--store", Store(), "build", "--no-cache"}, {}, dir_ / "fleet");
  ASSERT_EQ(piped.exit_code, 0) << piped.out << piped.err;
  EXPECT_EQ(piped.out.find("\x1b["), std::string::npos) << piped.out;
  EXPECT_EQ(piped.out.find("[step]"), std::string::npos) << piped.out;
  EXPECT_NE(piped.out.find("[built]  web@linux/amd64"), std::string::npos) << piped.out;
}

TEST_F(ProgressTest, JsonStreamsStepEventsAndEndsWithTheSummary) {
  // JSON wins over a terminal: no live view in the stream.
  auto r = RunInPty({"--store", Store(), "build", "--format", "json"}, dir_ / "fleet");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << r.out;
  std::vector<nlohmann::json> events;
  size_t start = 0;
  while (start < r.out.size()) {
    size_t end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    std::string line = r.out.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // the terminal's newline
    if (!line.empty()) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      ASSERT_FALSE(j.is_discarded()) << line;
      events.push_back(j);
    }
    start = end + 1;
  }
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["event"], "summary");
  EXPECT_EQ(events.back()["built"], 2);
  EXPECT_EQ(events.back()["indexes"], 1);
  bool copy_step = false;
  for (const auto& e : events)
    copy_step |= e["event"] == "step" && e["target"] == "web@linux/amd64" &&
                 e["step"] == "[2/3] COPY big/ /data/";
  EXPECT_TRUE(copy_step) << r.out;
}

TEST_F(ProgressTest, UnknownProgressValueIsExit2NamingTheFlag) {
  auto r = RunPlinth({"--store", Store(), "build", "--progress", "fancy"}, {}, dir_ / "fleet");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--progress 'fancy'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("auto, tty or plain"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace plinth
