#include "cli/command.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/format.h"
#include "util/fs.h"

namespace plinth::cli {

std::vector<CommandRegistration>& Commands() {
  static std::vector<CommandRegistration> commands;
  return commands;
}

bool RegisterCommand(int order, CommandSetup setup) {
  Commands().push_back({order, std::move(setup)});
  return true;
}

std::string GlobalOptions::FleetPath() const {
  if (!fleet_file.empty()) return fleet_file;
  if (PathExists("plinth.yaml")) return "plinth.yaml";
  return "";
}

std::string GlobalOptions::StorePath() const {
  if (!store.empty()) return store;
  if (const char* env = std::getenv("PLINTH_STORE"); env && *env) return env;
  std::string fleet = FleetPath();
  if (!fleet.empty()) {
    auto slash = fleet.rfind('/');
    std::string dir = slash == std::string::npos ? "." : fleet.substr(0, slash);
    return dir + "/.plinth/store";
  }
  return ".plinth/store";
}

std::string DebianCacheDir(const std::string& fallback) {
  const char* env = std::getenv("PLINTH_DEBIAN_CACHE");
  return env && *env ? env : fallback;
}

namespace {

// What LayoutStore::Open creates: a folder holding nothing else is a store whose creation was
// cut short, not someone's files.
constexpr std::array<std::string_view, 4> kStoreEntries = {"oci-layout", "index.json", "blobs",
                                                           "plinth"};

Status CheckStoreFolder(const std::string& dir) {
  if (PathExists(dir + "/oci-layout")) return Ok{};
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return Ok{};  // missing (Open creates it), or Open reports why it cannot be used
  // Not a range-for: its increment throws on an unreadable entry, increment(ec) does not.
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (std::find(kStoreEntries.begin(), kStoreEntries.end(), name) == kStoreEntries.end())
      return InvalidInput("'" + dir + "' is not empty and is not a plinth store (no oci-layout); "
                          "pass the folder of an existing store, or a new or empty folder, with "
                          "--store (or $PLINTH_STORE)");
  }
  return Ok{};
}

}  // namespace

Result<oci::LayoutStore> GlobalOptions::OpenStoreForWriting() const {
  std::string dir = StorePath();
  PLINTH_CHECK(CheckStoreFolder(dir));
  return oci::LayoutStore::Open(dir);
}

namespace {

// One process runs one command, so the --format it was given is process-wide.
bool& ErrorsAsJson() {
  static bool json = false;
  return json;
}

const char* KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput: return "invalid_input";
    case ErrorKind::kNotFound: return "not_found";
    case ErrorKind::kIo: return "io";
    case ErrorKind::kIntegrity: return "integrity";
    case ErrorKind::kUnauthorized: return "unauthorized";
    case ErrorKind::kRetryable: return "retryable";
    case ErrorKind::kCancelled: return "cancelled";
    case ErrorKind::kFailed: return "failed";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace

CLI::Option* AddFormatOption(CLI::App* cmd, std::string* format, const std::string& description) {
  return cmd->add_option("--format", *format, description)->each([](const std::string& value) {
    ErrorsAsJson() = value == "json";
  });
}

int ReportError(const Error& error) {
  if (!ErrorsAsJson()) {
    std::cerr << "plinth: error: " << error.ToString() << "\n";
    return error.ExitCode();
  }
  nlohmann::json j{{"error",
                    {{"message", error.message()},
                     {"where", LocationJson(error.location())},
                     {"kind", KindName(error.kind())},
                     {"exit_code", error.ExitCode()}}}};
  std::cerr << DumpJson(j) << "\n";
  return error.ExitCode();
}

}  // namespace plinth::cli
