// How subcommands plug into the `plinth` binary: each cli/<name>_command.cc registers a setup
// function at static-initialisation time, so adding a subcommand touches no other file.
// A subcommand's callback stores its exit code in GlobalOptions::exit_code.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "oci/layout_store.h"
#include "util/error.h"
#include "util/result.h"

namespace plinth::cli {

struct GlobalOptions {
  std::string store;        // --store or $PLINTH_STORE; empty: the default location
  std::string fleet_file;   // --file/-f: plinth.yaml; empty: look in the current folder
  int verbosity = 0;
  int exit_code = 0;

  // The store directory: --store, $PLINTH_STORE, .plinth/store next to the fleet's
  // plinth.yaml, else .plinth/store in the current folder.
  std::string StorePath() const;
  // The fleet manifest path if one is given or found in the current folder; "" if none.
  std::string FleetPath() const;
  // The store at StorePath(), for a command that writes to it: created when its folder is
  // missing or empty, refused (exit 2) when the folder holds other files and no oci-layout, so
  // that a mistyped --store does not turn a source tree into a store and rebuild everything.
  Result<oci::LayoutStore> OpenStoreForWriting() const;
};

// The Debian package cache: $PLINTH_DEBIAN_CACHE when set, else `fallback` (each command has its
// own default: `base build` the store's, `build` the user's cache shared by every store).
std::string DebianCacheDir(const std::string& fallback);

using CommandSetup = std::function<void(CLI::App& app, GlobalOptions& global)>;

struct CommandRegistration {
  int order;  // position in `plinth --help`
  CommandSetup setup;
};

std::vector<CommandRegistration>& Commands();
bool RegisterCommand(int order, CommandSetup setup);

// Adds `--format` to a command. Giving it also decides how ReportError prints this run's errors:
// a command asked for JSON reports its failure as JSON too, so a script reading its output
// need not parse "plinth: error: ..." lines.
CLI::Option* AddFormatOption(CLI::App* cmd, std::string* format, const std::string& description);

// Prints "plinth: error: <where>: <what>" to stderr, or under --format json one line
// {"error":{"message","where","kind","exit_code"}}; returns the exit code for it.
int ReportError(const Error& error);

}  // namespace plinth::cli
