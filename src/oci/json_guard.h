// Reading untrusted JSON documents (manifests, indexes, configs) with nlohmann::json, whose
// typed accessors throw when a field has another type than expected (`"mediaType": {}`). The
// guard turns any such exception into an error value naming the document, so no input from a
// registry or a layout can abort plinth.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>

#include "util/result.h"

namespace plinth::oci {

template <typename T, typename Read>
Result<T> ReadJsonDocument(const std::string& what, Read&& read) {
  try {
    return std::forward<Read>(read)();
  } catch (const nlohmann::json::exception& e) {
    return InvalidInput(what + ": a field has the wrong type (" + e.what() + ")");
  }
}

}  // namespace plinth::oci
