// Command-line flags with environment-variable fallbacks and generated --help.
// Precedence: command line > environment > default.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/duration.h"
#include "base/env.h"
#include "base/status.h"

namespace lcsi {

class FlagSet {
 public:
  FlagSet(std::string program, std::string summary);

  // `env` may be empty (no fallback). A list flag may be repeated; its env value is
  // comma-separated.
  void AddString(const std::string& name, const std::string& env, const std::string& def,
                 const std::string& help);
  void AddBool(const std::string& name, const std::string& env, bool def, const std::string& help);
  void AddList(const std::string& name, const std::string& env, const std::string& def,
               const std::string& help);

  // Parses argv[1..]. Accepts "--name value", "--name=value" and bare "--flag" for booleans.
  // --help and --version set help_requested()/version_requested(). Unknown flags and positional
  // arguments are InvalidArgument.
  Status Parse(int argc, const char* const* argv, const EnvLookup& env = ProcessEnv());

  const std::string& GetString(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  std::vector<std::string> GetList(const std::string& name) const;
  Result<std::chrono::milliseconds> GetDuration(const std::string& name) const;
  Result<long long> GetInt(const std::string& name) const;

  bool help_requested() const { return help_; }
  bool version_requested() const { return version_; }
  std::string Help() const;

 private:
  enum class Type { kString, kBool, kList };
  struct Flag {
    Type type;
    std::string env;
    std::string def;
    std::string help;
    std::vector<std::string> values;  // set after Parse
  };
  const Flag& Find(const std::string& name) const;

  std::string program_;
  std::string summary_;
  std::vector<std::string> order_;
  std::map<std::string, Flag> flags_;
  bool help_ = false;
  bool version_ = false;
};

}  // namespace lcsi
