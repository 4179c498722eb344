// lint --fix's fixes (lint/fixer.h), each on the findings lint reports: what each rewrites,
// what it leaves (with the reason), that suppressed findings stay, that every other byte of the
// file (comments, continuations, heredocs, CRLF) is kept, and that fixing again changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lint/fixer.h"
#include "lint/lint_config.h"
#include "lint/linter.h"
#include "lint/shell_command.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

const std::string kDigest = "sha256:" + std::string(64, 'a');

class FixerTest : public ::testing::Test {
 protected:
  // Lints `text` as a bare Dockerfile and fixes what lint reported, in full.
  FileFix Fix(const std::string& text, const LintConfig& config = {}) {
    LintOptions options;
    options.config = config;
    auto lint = LintDockerfileText(text, "Dockerfile", options);
    EXPECT_TRUE(lint) << lint.error().ToString();
    auto fix = FixDockerfileFully(text, "Dockerfile",
                                  lint ? lint->findings : std::vector<Finding>{}, config);
    EXPECT_TRUE(fix) << fix.error().ToString();
    FileFix out = fix ? *fix : FileFix{};
    // Whatever a fix did, fixing its result again changes nothing.
    if (fix) {
      auto relint = LintDockerfileText(out.after, "Dockerfile", options);
      auto again = FixDockerfileFully(out.after, "Dockerfile", relint->findings, config);
      EXPECT_TRUE(again && !again->changed() && again->applied.empty()) << out.after;
    }
    return out;
  }
  std::string Fixed(const std::string& text) { return Fix(text).after; }
  // The reason the fix of `code` was skipped, "" if it was not.
  static std::string SkipReason(const FileFix& fix, const std::string& code) {
    for (const auto& n : fix.skipped)
      if (n.code == code) return n.text;
    return "";
  }
};

// --- DL3025 ----------------------------------------------------------------------------------

TEST_F(FixerTest, PlainShellFormCmdBecomesExecForm) {
  EXPECT_EQ(Fixed("FROM debian:12\nCMD gunicorn --bind 0.0.0.0:8000 app:app\n"),
            "FROM debian:12\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]\n");
  // exec is what exec form does anyway; quotes that only group words are resolved.
  EXPECT_EQ(Fixed("FROM debian:12\ncmd exec python3 -m \"http.server\" '8000' \"a b\"\n"),
            "FROM debian:12\ncmd [\"python3\", \"-m\", \"http.server\", \"8000\", \"a b\"]\n");
  // A word with a JSON special character is escaped.
  EXPECT_EQ(Fixed("FROM debian:12\nCMD printf 'a\"b\\c'\n"),
            "FROM debian:12\nCMD [\"printf\", \"a\\\"b\\\\c\"]\n");
}

TEST_F(FixerTest, ExecFormKeepsContinuationLinesAndComments) {
  EXPECT_EQ(Fixed("FROM debian:12\n"
                  "CMD gunicorn \\\n"
                  "    # the bind address\n"
                  "    --bind 0.0.0.0:8000 \\  \n"
                  "\n"
                  "    app:app\n"
                  "USER 1000\n"),
            "FROM debian:12\n"
            "CMD [\"gunicorn\", \\\n"
            "    # the bind address\n"
            "    \"--bind\", \"0.0.0.0:8000\", \\  \n"
            "\n"
            "    \"app:app\"]\n"
            "USER 1000\n");
}

TEST_F(FixerTest, CommandsThatNeedTheShellStayInShellForm) {
  for (const std::string cmd :
       {"app --port $PORT", "app && other", "app > /log", "app *.conf", "cd /app && ./run",
        "FOO=1 app", "app ~/conf", "app; other", "app | tee x", "export A=1", "app \"$HOME\"",
        "app \\$x", "if true; then app; fi", "app `id -u`", "app # comment", "ap\\\np x"}) {
    std::string text = "FROM debian:12\nCMD " + cmd + "\n";
    FileFix fix = Fix(text);
    EXPECT_EQ(fix.after, text) << cmd;
    EXPECT_NE(SkipReason(fix, "PL210"), "") << cmd;
  }
}

TEST_F(FixerTest, EntrypointIsFixedOnlyWithoutACmdInItsStage) {
  EXPECT_EQ(Fixed("FROM debian:12\nENTRYPOINT node server.js\n"),
            "FROM debian:12\nENTRYPOINT [\"node\", \"server.js\"]\n");
  std::string with_cmd = "FROM debian:12\nENTRYPOINT node server.js\nCMD [\"--port\", \"80\"]\n";
  FileFix fix = Fix(with_cmd);
  EXPECT_EQ(fix.after, with_cmd);
  EXPECT_THAT(SkipReason(fix, "PL210"), HasSubstr("CMD"));
}

TEST_F(FixerTest, ExecFormNotWrittenForAnotherShell) {
  std::string text =
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
      "SHELL [\"powershell\", \"-Command\"]\nCMD Write-Host hi\n";
  FileFix fix = Fix(text);
  EXPECT_EQ(fix.after, text);
  EXPECT_THAT(SkipReason(fix, "PL210"), HasSubstr("POSIX"));
}

// --- DL4000 ----------------------------------------------------------------------------------

TEST_F(FixerTest, MaintainerBecomesAnEscapedLabel) {
  EXPECT_EQ(Fixed("FROM debian:12\nMAINTAINER Jane \"JD\" Doe <jane@example.com> $5 \\o/  \n"),
            "FROM debian:12\nLABEL maintainer=\"Jane \\\"JD\\\" Doe <jane@example.com> \\$5 "
            "\\\\o/\"  \n");
  EXPECT_EQ(Fixed("FROM debian:12\nmaintainer jane\n"),
            "FROM debian:12\nlabel maintainer=\"jane\"\n");
}

// --- DL3020 ----------------------------------------------------------------------------------

TEST_F(FixerTest, AddOfLocalFilesBecomesCopyWithItsFlags) {
  EXPECT_EQ(Fixed("FROM debian:12\nADD --chown=app:app --chmod=644 a.txt conf/ /etc/app/\n"),
            "FROM debian:12\nCOPY --chown=app:app --chmod=644 a.txt conf/ /etc/app/\n");
  // ADD of archives and URLs is what ADD is for: not reported, not touched.
  std::string kept = "FROM debian:12\nADD rootfs.tar.gz /\nADD https://example.com/x /x\n";
  EXPECT_EQ(Fixed(kept), kept);
}

TEST_F(FixerTest, AddThatAlsoUnpacksIsLeftWithTheReason) {
  std::string text = "FROM debian:12\nADD app.py vendor.tar.gz /opt/\n";
  FileFix fix = Fix(text);
  EXPECT_EQ(fix.after, text);
  EXPECT_THAT(SkipReason(fix, "PL205"), HasSubstr("vendor.tar.gz"));
}

// --- DL3027, DL3047, DL3015 --------------------------------------------------------------------

TEST_F(FixerTest, AptBecomesAptGetOrAptCacheInEveryCommand) {
  EXPECT_EQ(Fixed("FROM debian:12\nRUN apt update && apt search curl && apt-get install -y "
                  "--no-install-recommends curl=1\n"),
            "FROM debian:12\nRUN apt-get update && apt-cache search curl && apt-get install -y "
            "--no-install-recommends curl=1\n");
}

TEST_F(FixerTest, AptWithoutAnEquivalentIsLeft) {
  std::string text = "FROM debian:12\nRUN apt list --installed\n";
  FileFix fix = Fix(text);
  EXPECT_EQ(fix.after, text);
  EXPECT_THAT(SkipReason(fix, "PL241"), HasSubstr("apt list"));
  std::string quoted = "FROM debian:12\nRUN 'apt' update\n";
  FileFix q = Fix(quoted);
  EXPECT_EQ(q.after, quoted);
  EXPECT_THAT(SkipReason(q, "PL241"), HasSubstr("quoted"));
}

TEST_F(FixerTest, AptInstallAlsoGetsNoInstallRecommends) {
  // apt → apt-get uncovers DL3015, fixed in the same run.
  EXPECT_EQ(Fixed("FROM debian:12\nRUN apt install -y curl=1\n"),
            "FROM debian:12\nRUN apt-get install --no-install-recommends -y curl=1\n");
}

TEST_F(FixerTest, NoInstallRecommendsGoesAfterInstall) {
  EXPECT_EQ(
      Fixed("FROM debian:12\nRUN apt-get -y install curl=1 \\\n && apt-get install -y wget=2\n"),
      "FROM debian:12\nRUN apt-get -y install --no-install-recommends curl=1 \\\n && apt-get "
      "install "
      "--no-install-recommends -y wget=2\n");
  std::string done =
      "FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=false curl=1\n";
  EXPECT_EQ(Fixed(done), done);
}

TEST_F(FixerTest, WgetGetsAProgressFlagInSubstitutionsAndHeredocs) {
  EXPECT_EQ(Fixed("FROM debian:12\nRUN echo \"$(wget -O- https://a)\" && wget https://b\n"),
            "FROM debian:12\nRUN echo \"$(wget --progress=dot:giga -O- https://a)\" && wget "
            "--progress=dot:giga https://b\n");
  EXPECT_EQ(
      Fixed("FROM debian:12\nRUN <<EOF\nset -e\nwget https://example.com/a\nEOF\nUSER 1000\n"),
      "FROM debian:12\nRUN <<EOF\nset -e\nwget --progress=dot:giga "
      "https://example.com/a\nEOF\nUSER 1000\n");
  std::string quiet = "FROM debian:12\nRUN wget -q https://a && wget -nv https://b\n";
  EXPECT_EQ(Fixed(quiet), quiet);
}

TEST_F(FixerTest, RunFlagsAndCommentLinesAreKept) {
  EXPECT_EQ(Fixed("FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt \\\n"
                  "    # fetch\n    wget https://a\n"),
            "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt \\\n"
            "    # fetch\n    wget --progress=dot:giga https://a\n");
}

// --- what is not fixed -------------------------------------------------------------------------

TEST_F(FixerTest, SuppressedAndIgnoredFindingsAreNotFixed) {
  std::string suppressed =
      "FROM debian:12\n# hadolint ignore=DL4000\nMAINTAINER jane\n"
      "# plinth ignore=PL255\nRUN wget https://a\n";
  EXPECT_EQ(Fixed(suppressed), suppressed);
  LintConfig config;
  config.ignored = {"DL3015"};
  std::string ignored = "FROM debian:12\nRUN apt-get install -y curl=1\n";
  EXPECT_EQ(Fix(ignored, config).after, ignored);
  config.ignored = {"DL3015"};
  EXPECT_EQ(Fix("FROM debian:12\nRUN apt install -y curl=1\n", config).after,
            "FROM debian:12\nRUN apt-get install -y curl=1\n");
}

TEST_F(FixerTest, AnotherEscapeCharacterLeavesRunsAlone) {
  std::string text = "# escape=`\nFROM debian:12\nRUN apt update\n";
  FileFix fix = Fix(text);
  EXPECT_EQ(fix.after, text);
  EXPECT_THAT(SkipReason(fix, "PL241"), HasSubstr("escape"));
}

// --- the rest of the file ----------------------------------------------------------------------

TEST_F(FixerTest, CrlfFilesStayCrlfAndUntouchedBytesStay) {
  std::string text =
      "# syntax=docker/dockerfile:1\r\n"
      "FROM debian:12\r\n"
      "MAINTAINER jane\r\n"
      "RUN apt update \\\r\n"
      "    && wget https://a\r\n"
      "CMD app \\\r\n"
      "    --flag\r\n"
      "COPY <<EOF /etc/motd\r\n"
      "apt update\r\n"
      "EOF\r\n";
  EXPECT_EQ(Fixed(text),
            "# syntax=docker/dockerfile:1\r\n"
            "FROM debian:12\r\n"
            "LABEL maintainer=\"jane\"\r\n"
            "RUN apt-get update \\\r\n"
            "    && wget --progress=dot:giga https://a\r\n"
            "CMD [\"app\", \\\r\n"
            "    \"--flag\"]\r\n"
            "COPY <<EOF /etc/motd\r\n"
            "apt update\r\n"
            "EOF\r\n");
  // No newline at the end of the file.
  EXPECT_EQ(Fixed("FROM debian:12\nMAINTAINER jane"), "FROM debian:12\nLABEL maintainer=\"jane\"");
}

// --- PL107 -------------------------------------------------------------------------------------

Finding Unpinned(int line) {
  Finding f;
  f.location = {"Dockerfile", line, 1};
  f.code = "PL107";
  return f;
}

TEST_F(FixerTest, UpstreamBasesArePinnedToTheResolvedDigest) {
  std::vector<std::string> asked;
  DigestResolver resolve = [&](const std::string& image) -> Result<std::string> {
    asked.push_back(image);
    if (image == "gone/image") return NotFound("no such image");
    if (image == "odd/image") return std::string("md5:1234");
    return kDigest;
  };
  std::string text =
      "FROM --platform=$BUILDPLATFORM golang:latest AS build\n"
      "RUN go build\n"
      "FROM gone/image\n"
      "FROM ${BASE}\n"
      "FROM odd/image\n"
      "FROM \\\n  gcr.io/distroless/static-debian12 AS runtime\n"
      "MAINTAINER jane\n";
  std::vector<Finding> findings = {Unpinned(1), Unpinned(3), Unpinned(4), Unpinned(5), Unpinned(6)};
  Finding maintainer;
  maintainer.location = {"Dockerfile", 8, 1};
  maintainer.code = "PL215";
  findings.push_back(maintainer);
  auto fix = FixDockerfile(text, "Dockerfile", findings, resolve);
  ASSERT_TRUE(fix) << fix.error().ToString();
  EXPECT_EQ(fix->after, "FROM --platform=$BUILDPLATFORM golang:latest@" + kDigest +
                            " AS build\n"
                            "RUN go build\n"
                            "FROM gone/image\n"
                            "FROM ${BASE}\n"
                            "FROM odd/image\n"
                            "FROM \\\n  gcr.io/distroless/static-debian12@" +
                            kDigest +
                            " AS runtime\n"
                            "LABEL maintainer=\"jane\"\n");
  EXPECT_EQ(asked, (std::vector<std::string>{"golang:latest", "gone/image", "odd/image",
                                             "gcr.io/distroless/static-debian12"}));
  ASSERT_EQ(fix->skipped.size(), 3u);
  EXPECT_THAT(fix->skipped[0].text, HasSubstr("no such image"));
  EXPECT_THAT(fix->skipped[1].text, HasSubstr("variable"));
  EXPECT_THAT(fix->skipped[2].text, HasSubstr("no sha256 digest"));
  // Without a resolver PL107 is left, the rest fixed.
  auto bare = FixDockerfile("FROM debian\nMAINTAINER x\n", "Dockerfile",
                            {Unpinned(1), [] {
                               Finding f;
                               f.location = {"Dockerfile", 2, 1};
                               f.code = "PL215";
                               return f;
                             }()});
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->after, "FROM debian\nLABEL maintainer=\"x\"\n");
  ASSERT_EQ(bare->skipped.size(), 1u);
}

TEST_F(FixerTest, FindingsOfOtherFilesAndRulesAreIgnored) {
  Finding other = Unpinned(1);
  other.location.file = "other/Dockerfile";
  Finding unfixable;
  unfixable.location = {"Dockerfile", 1, 1};
  unfixable.code = "PL233";
  auto fix = FixDockerfile("FROM debian\n", "Dockerfile", {other, unfixable},
                           [](const std::string&) -> Result<std::string> { return kDigest; });
  ASSERT_TRUE(fix);
  EXPECT_FALSE(fix->changed());
  EXPECT_TRUE(fix->skipped.empty());
}

// --- the shell parse's word spans that the fixes rely on -------------------------------------

TEST(ShellCommandSpansTest, WordsKnowWhereTheyAreWritten) {
  std::string text = "a 'b c' \"d\"e \\\n  f $(g h) && i";
  ShellScript s = SplitShell(text);
  ASSERT_EQ(s.commands.size(), 3u);
  const ShellCommand& first = s.commands[0];
  ASSERT_EQ(first.words.size(), 5u);
  std::vector<std::string> written;
  for (size_t i = 0; i < first.words.size(); ++i)
    written.push_back(text.substr(first.begins[i], first.ends[i] - first.begins[i]));
  EXPECT_EQ(written, (std::vector<std::string>{"a", "'b c'", "\"d\"e", "f", "$(g h)"}));
  const ShellCommand& inner = s.commands[1];  // g h, inside $( )
  EXPECT_EQ(text.substr(inner.begins[1], inner.ends[1] - inner.begins[1]), "h");
  EXPECT_EQ(text.substr(s.commands[2].begins[0], 1), "i");
  // Inside backticks with escapes the source offsets are unknown.
  ShellScript ticks = SplitShell("echo `echo \\$x`");
  ASSERT_EQ(ticks.commands.size(), 2u);
  EXPECT_EQ(ticks.commands[1].begins[0], ShellCommand::kUnknown);
}

}  // namespace
}  // namespace plinth::lint
