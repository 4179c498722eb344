// StageVars: the variables an instruction of a stage is expanded with, as BuildKit scopes them:
// the image's ENV (base image's and the stage's own) wins over the stage's ARGs; an ARG without
// a default takes the build arg, else the global ARG of the same name (automatic platform ARGs
// included), else stays unset.
#pragma once

#include <map>
#include <string>

#include "dockerfile/shell_lex.h"
#include "oci/image_config.h"

namespace plinth::builder {

class StageVars : public dockerfile::Environment {
 public:
  StageVars(const dockerfile::VarMap& meta_args, const std::map<std::string, std::string>& build_args)
      : meta_args_(meta_args), build_args_(build_args) {}

  void set_config(const oci::RuntimeConfig* config) { config_ = config; }
  // Declares `ARG name[=default]`; `default_value` is already expanded.
  void DeclareArg(const std::string& name, const std::optional<std::string>& default_value);
  std::optional<std::string> Lookup(std::string_view name) const override;
  // The ARGs declared so far with their values ("NAME=value"), for RUN backends and history.
  const dockerfile::VarMap& args() const { return args_; }

 private:
  const dockerfile::VarMap& meta_args_;
  const std::map<std::string, std::string>& build_args_;
  const oci::RuntimeConfig* config_ = nullptr;
  dockerfile::VarMap args_;
};

}  // namespace plinth::builder
