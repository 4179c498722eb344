// What hadolint counts as a source ADD is needed for (DL3020): a URL (or git@ remote), or an
// archive by its extension, which ADD unpacks. Shared by the rule and its --fix.
#pragma once

#include <string>

namespace plinth::lint {

bool IsAddArchive(const std::string& source);
bool IsAddUrl(const std::string& source);

}  // namespace plinth::lint
