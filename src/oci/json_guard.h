// Reading untrusted JSON documents (manifests, indexes, configs) with nlohmann::json, whose
// typed accessors throw when a field has another type than expected (`"mediaType": {}`). The
// guard turns any such exception into an error value naming the document, so no input from a
// registry or a layout can abort plinth.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
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

// The integer field `key` of object `j`, or `fallback` when it is absent. A number that is not an
// integer, or does not fit, is an error: nlohmann converts `5e115` to an integer with undefined
// behaviour instead of throwing, so the guard above never sees it.
inline Result<int64_t> IntegerField(const nlohmann::json& j, const char* key, int64_t fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<uint64_t>() > INT64_MAX))
    return InvalidInput(std::string("'") + key + "' is not an integer");
  return it->get<int64_t>();
}

}  // namespace plinth::oci
