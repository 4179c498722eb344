// Benchmark: the shell parse and the shell rules. Parses a generated corpus of RUN scripts
// (package installs, pipes, subshells, substitutions, control structures, heredocs) and lints a
// generated Dockerfile of 2,000 RUNs, printing the time per RUN. The target is the whole
// example fleet linted in under 100 ms without ShellCheck; a RUN must cost microseconds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "lint/linter.h"
#include "lint/shell_command.h"

using namespace plinth::lint;

namespace {

const char* kScripts[] = {
    "apt-get update && apt-get install -y --no-install-recommends curl=7.88 ca-certificates \\\n"
    "    && rm -rf /var/lib/apt/lists/*",
    "set -eux; (cd /src && make -j\"$(nproc)\" install) && { echo done; } >/dev/null 2>&1",
    "curl -fsSL \"https://example.com/$(uname -m)/x.tgz\" | tar -xz -C /opt && ln -s /opt/x/bin/x "
    "/usr/bin/x",
    "if [ \"$TARGETARCH\" = arm64 ]; then ARCH=aarch64; else ARCH=x86_64; fi; for p in a b c; do "
    "echo $p; done",
    "case \"$x\" in a|b) apk add --no-cache git=2.45 ;; *) pip install --no-cache-dir -r req.txt "
    ";; esac",
    "cat <<EOF > /etc/app.conf\nkey=value\nEOF\nuseradd -l -u 100000 app",
};

std::string Dockerfile(int runs) {
  std::string out = "FROM debian:12 AS build\n";
  for (int i = 0; i < runs; ++i) {
    if (i % 50 == 49) out += "FROM build AS s" + std::to_string(i) + "\n";
    out += std::string("RUN ") + kScripts[i % 4] + "\n";  // one-line scripts; heredocs below
    if (i % 10 == 9) out += "RUN <<EOF\nset -e\napt-get install -y vim\nwget -q x | sh\nEOF\n";
  }
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main() {
  std::vector<std::string> corpus;
  for (int i = 0; i < 6000; ++i) corpus.push_back(kScripts[i % 6]);
  std::vector<double> parse, lint;
  size_t commands = 0;
  const std::string text = Dockerfile(2000);
  for (int round = 0; round < 9; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& s : corpus) commands += SplitShell(s).commands.size();
    auto t1 = std::chrono::steady_clock::now();
    LintOptions options;
    options.config = LintConfig{};
    auto result = LintDockerfileText(text, "bench.Dockerfile", options);
    auto t2 = std::chrono::steady_clock::now();
    if (!result) return 1;
    parse.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    lint.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
  }
  std::printf("lint_shell_bench: %zu scripts (%zu commands per round), Dockerfile of 2200 RUNs\n",
              corpus.size(), commands / 9);
  std::printf("  shell parse:          %.2f us/script (median of 9)\n",
              Median(parse) / corpus.size());
  std::printf("  lint (all rules):     %.2f us/RUN (%.1f ms per Dockerfile)\n", Median(lint) / 2200,
              Median(lint) / 1000);
  return 0;
}
