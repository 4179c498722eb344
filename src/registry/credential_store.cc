#include "registry/credential_store.h"

#include <sys/stat.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "registry/base64.h"
#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::registry {
namespace {

using nlohmann::json;

constexpr const char* kDockerHubKey = "https://index.docker.io/v1/";

// A string field of a JSON object, "" when it is missing or of another type: config files and
// helper answers may hold anything, and nlohmann's value() throws on a type mismatch.
std::string StringField(const json& object, const char* name) {
  if (!object.is_object()) return "";
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// A missing file is an empty document; a malformed one is an error naming the file.
Result<json> LoadConfig(const std::string& path) {
  if (path.empty() || !PathExists(path)) return json::object();
  PLINTH_TRY(std::string text, ReadFile(path));
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return InvalidInput("reading credentials: not a JSON object", Location{path});
  return doc;
}

std::string HelperProgram(const std::string& helper) { return "docker-credential-" + helper; }

Result<std::optional<Credentials>> HelperGet(const std::string& helper,
                                             const std::string& registry) {
  SubprocessOptions options;
  // Helpers were given the key docker itself uses; for Docker Hub that is the v1 URL.
  options.stdin_data = registry == "docker.io" ? kDockerHubKey : registry;
  auto run = RunProcess({HelperProgram(helper), "get"}, options);
  if (!run) return run.error().Context("running credential helper " + HelperProgram(helper));
  if (!run->ok()) {
    // The protocol answers a miss with a message on stdout and a non-zero exit.
    if (run->out.find("not found") != std::string::npos ||
        run->err.find("not found") != std::string::npos)
      return std::optional<Credentials>();
    return Error(ErrorKind::kUnauthorized,
                 "credential helper " + HelperProgram(helper) + " failed for " + registry +
                     " (exit " + std::to_string(run->exit_code) + ")");
  }
  json doc = json::parse(run->out, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Error(ErrorKind::kUnauthorized,
                 "credential helper " + HelperProgram(helper) + " answered malformed JSON");
  Credentials c{StringField(doc, "Username"), StringField(doc, "Secret")};
  if (c.empty()) return std::optional<Credentials>();
  return std::optional<Credentials>(std::move(c));
}

Status HelperRun(const std::string& helper, const std::string& verb, const std::string& input,
                 const std::string& registry) {
  SubprocessOptions options;
  options.stdin_data = input;
  auto run = RunProcess({HelperProgram(helper), verb}, options);
  if (!run) return run.error().Context("running credential helper " + HelperProgram(helper));
  if (!run->ok())
    return Error(ErrorKind::kIo, "credential helper " + HelperProgram(helper) + " " + verb +
                                     " failed for " + registry + " (exit " +
                                     std::to_string(run->exit_code) + ")");
  return Ok{};
}

// The auths entry key that matches `registry`, or "".
std::string FindAuthsKey(const json& auths, const std::string& registry) {
  for (auto it = auths.begin(); it != auths.end(); ++it)
    if (CredentialStore::NormalizeKey(it.key()) == registry) return it.key();
  return "";
}

Result<std::optional<Credentials>> LookupIn(const json& doc, const std::string& registry,
                                            const std::string& path) {
  if (doc.contains("credHelpers") && doc["credHelpers"].is_object()) {
    for (auto it = doc["credHelpers"].begin(); it != doc["credHelpers"].end(); ++it)
      if (CredentialStore::NormalizeKey(it.key()) == registry && it.value().is_string())
        return HelperGet(it.value().get<std::string>(), registry);
  }
  if (doc.contains("auths") && doc["auths"].is_object()) {
    std::string key = FindAuthsKey(doc["auths"], registry);
    if (!key.empty()) {
      const json& entry = doc["auths"][key];
      if (entry.is_object() && entry.contains("auth") && entry["auth"].is_string()) {
        auto decoded = Base64Decode(entry["auth"].get<std::string>());
        if (!decoded)
          return InvalidInput("reading credentials for " + registry + ": malformed 'auth' field",
                              Location{path});
        auto colon = decoded->find(':');
        if (colon == std::string::npos)
          return InvalidInput("reading credentials for " + registry +
                                  ": 'auth' is not base64 of user:password",
                              Location{path});
        return std::optional<Credentials>(
            Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)});
      }
      if (entry.is_object() && entry.contains("username")) {
        Credentials c{StringField(entry, "username"), StringField(entry, "password")};
        if (!c.empty()) return std::optional<Credentials>(std::move(c));
      }
    }
  }
  if (doc.contains("credsStore") && doc["credsStore"].is_string())
    return HelperGet(doc["credsStore"].get<std::string>(), registry);
  return std::optional<Credentials>();
}

Status WriteConfig(const std::string& path, const json& doc) {
  auto slash = path.rfind('/');
  if (slash != std::string::npos) PLINTH_CHECK(MakeDirs(path.substr(0, slash), 0700));
  return WriteFileAtomic(path, doc.dump(2) + "\n", 0600);
}

}  // namespace

CredentialStore CredentialStore::FromEnvironment() {
  CredentialFiles files;
  if (const char* f = std::getenv("REGISTRY_AUTH_FILE"); f && *f) files.auth_file = f;
  if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d) {
    files.docker_config = std::string(d) + "/config.json";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    files.docker_config = std::string(home) + "/.docker/config.json";
  }
  return CredentialStore(std::move(files));
}

std::string CredentialStore::NormalizeKey(std::string_view key) {
  if (auto scheme = key.find("://"); scheme != std::string_view::npos) key.remove_prefix(scheme + 3);
  if (auto slash = key.find('/'); slash != std::string_view::npos) key = key.substr(0, slash);
  if (key == "index.docker.io" || key == "registry-1.docker.io" || key == "registry.hub.docker.com")
    return "docker.io";
  return std::string(key);
}

Result<std::optional<Credentials>> CredentialStore::Lookup(const std::string& registry) const {
  std::string host = NormalizeKey(registry);
  for (const std::string& path : {files_.auth_file, files_.docker_config}) {
    if (path.empty()) continue;
    PLINTH_TRY(json doc, LoadConfig(path));
    PLINTH_TRY(auto found, LookupIn(doc, host, path));
    if (found) return found;
  }
  return std::optional<Credentials>();
}

std::string CredentialStore::WritableFile() const {
  return files_.auth_file.empty() ? files_.docker_config : files_.auth_file;
}

Status CredentialStore::Save(const std::string& registry, const Credentials& credentials) const {
  std::string host = NormalizeKey(registry);
  std::string path = WritableFile();
  if (path.empty()) return InvalidInput("saving credentials: neither $HOME nor $DOCKER_CONFIG is set");
  PLINTH_TRY(json doc, LoadConfig(path));
  std::string helper;
  if (doc.contains("credHelpers") && doc["credHelpers"].is_object() &&
      doc["credHelpers"].contains(host) && doc["credHelpers"][host].is_string())
    helper = doc["credHelpers"][host].get<std::string>();
  else if (doc.contains("credsStore") && doc["credsStore"].is_string())
    helper = doc["credsStore"].get<std::string>();
  std::string key = host == "docker.io" ? kDockerHubKey : host;
  if (!helper.empty()) {
    json input = {{"ServerURL", key}, {"Username", credentials.username},
                  {"Secret", credentials.secret}};
    PLINTH_CHECK(HelperRun(helper, "store", input.dump(), host));
    // docker records that a helper holds the registry with an empty auths entry.
    if (!doc.contains("auths") || !doc["auths"].is_object()) doc["auths"] = json::object();
    doc["auths"][key] = json::object();
  } else {
    if (!doc.contains("auths") || !doc["auths"].is_object()) doc["auths"] = json::object();
    std::string old = FindAuthsKey(doc["auths"], host);
    if (!old.empty()) doc["auths"].erase(old);
    doc["auths"][key] = {{"auth", Base64Encode(credentials.username + ":" + credentials.secret)}};
  }
  auto written = WriteConfig(path, doc);
  if (!written) return written.error().Context("saving credentials for " + host);
  return Ok{};
}

Status CredentialStore::Erase(const std::string& registry) const {
  std::string host = NormalizeKey(registry);
  bool erased = false;
  for (const std::string& path : {files_.auth_file, files_.docker_config}) {
    if (path.empty() || !PathExists(path)) continue;
    PLINTH_TRY(json doc, LoadConfig(path));
    std::string helper;
    if (doc.contains("credHelpers") && doc["credHelpers"].is_object() &&
        doc["credHelpers"].contains(host) && doc["credHelpers"][host].is_string())
      helper = doc["credHelpers"][host].get<std::string>();
    else if (doc.contains("credsStore") && doc["credsStore"].is_string())
      helper = doc["credsStore"].get<std::string>();
    std::string key = doc.contains("auths") && doc["auths"].is_object()
                          ? FindAuthsKey(doc["auths"], host)
                          : "";
    if (!helper.empty() && !key.empty()) {
      PLINTH_CHECK(HelperRun(helper, "erase", host == "docker.io" ? kDockerHubKey : host, host));
    }
    if (!key.empty()) {
      doc["auths"].erase(key);
      PLINTH_CHECK(WriteConfig(path, doc));
      erased = true;
    }
  }
  if (!erased) return NotFound("not logged in to " + host);
  return Ok{};
}

}  // namespace plinth::registry
