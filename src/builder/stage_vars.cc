#include "builder/stage_vars.h"

namespace plinth::builder {

void StageVars::DeclareArg(const std::string& name, const std::optional<std::string>& default_value) {
  if (auto it = build_args_.find(name); it != build_args_.end()) {
    args_.Set(name, it->second);
  } else if (default_value) {
    args_.Set(name, *default_value);
  } else if (auto global = meta_args_.Lookup(name)) {
    args_.Set(name, *global);
  }
}

std::optional<std::string> StageVars::Lookup(std::string_view name) const {
  if (config_) {
    if (auto v = config_->GetEnv(std::string(name))) return v;
  }
  return args_.Lookup(name);
}

}  // namespace plinth::builder
