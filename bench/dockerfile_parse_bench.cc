// Benchmark: parse a generated 10,000-instruction Dockerfile (every instruction kind, flags,
// continuations, heredocs, exec and shell forms) and print the time per instruction.
// Target: under 2 µs per instruction for Parse; the typed layer and stage graph are shown too.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"
#include "dockerfile/stage_graph.h"

using namespace plinth::dockerfile;

namespace {

std::string Generate(int instructions) {
  std::string out = "# syntax=docker/dockerfile:1\nARG GO=1.22\nARG BASE=golang:${GO}\n";
  int n = 2;
  int stage = 0;
  while (n < instructions) {
    out += "FROM --platform=$BUILDPLATFORM ${BASE} AS s" + std::to_string(stage) + "\n";
    ++n;
    const char* body[] = {
        "ARG TARGETOS TARGETARCH\n",
        "ENV GOOS=$TARGETOS GOARCH=$TARGETARCH CGO_ENABLED=0\n",
        "WORKDIR /src\n",
        "COPY --link go.mod go.sum ./\n",
        "RUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download && \\\n    go mod verify\n",
        "COPY --chown=65532:65532 --chmod=0755 . .\n",
        "RUN <<EOF\nset -eux\ngo build -o /out/app ./cmd/app\nEOF\n",
        "LABEL org.opencontainers.image.source=\"https://example.com/x\" version=1\n",
        "EXPOSE 8080/tcp 9090\n",
        "HEALTHCHECK --interval=30s --timeout=3s CMD [\"/app\", \"health\"]\n",
        "USER 65532:65532\n",
        "ENTRYPOINT [\"/out/app\"]\n",
    };
    for (const char* line : body) {
      out += line;
      ++n;
    }
    if (stage > 0) {
      out += "COPY --from=s" + std::to_string(stage - 1) + " /out/app /prev\n";
      ++n;
    }
    ++stage;
  }
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main() {
  const std::string text = Generate(10000);
  auto ast = Parse(text, "bench.Dockerfile");
  if (!ast) {
    std::fprintf(stderr, "%s\n", ast.error().ToString().c_str());
    return 1;
  }
  const size_t count = ast->instructions.size();
  std::vector<double> parse, typed, graph;
  for (int round = 0; round < 15; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    auto a = Parse(text, "bench.Dockerfile");
    auto t1 = std::chrono::steady_clock::now();
    auto ins = ParseInstructions(*a);
    auto t2 = std::chrono::steady_clock::now();
    StageGraphOptions options;
    options.build_platform = BuildPlatform{};
    auto g = BuildStageGraph(*a, options);
    auto t3 = std::chrono::steady_clock::now();
    if (!a || !ins || !g) return 1;
    auto us = [](auto d) { return std::chrono::duration<double, std::micro>(d).count(); };
    parse.push_back(us(t1 - t0));
    typed.push_back(us(t2 - t1));
    graph.push_back(us(t3 - t2));
  }
  std::printf("dockerfile_parse_bench: %zu instructions, %zu bytes\n", count, text.size());
  std::printf("  parse (AST):               %.3f us/instruction (median of 15)\n",
              Median(parse) / count);
  std::printf("  typed instructions:        %.3f us/instruction\n", Median(typed) / count);
  std::printf("  stage graph (incl. typed): %.3f us/instruction\n", Median(graph) / count);
  return 0;
}
