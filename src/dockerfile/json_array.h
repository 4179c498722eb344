// Decoding of exec-form arguments (`["sh", "-c", "x"]`) with the semantics of Go's
// encoding/json that BuildKit relies on: the whole text must be valid JSON; a valid array whose
// elements are not all strings is a hard error, any other malformed text is "not JSON" so the
// caller falls back to shell form. Escapes are decoded (`\u0000`, surrogate pairs; lone
// surrogates and invalid UTF-8 become U+FFFD, as Go does).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plinth::dockerfile {

enum class JsonArrayStatus {
  kOk,              // a JSON array of strings
  kNotJson,         // not a (valid) JSON array: use shell form
  kNotStringArray,  // valid JSON array with a non-string element: an error
};

// `text` is the instruction's remainder; leading whitespace is skipped as BuildKit does.
JsonArrayStatus ParseJsonStringArray(std::string_view text, std::vector<std::string>* out);

}  // namespace plinth::dockerfile
