// Command-line flags of one csictl command: "--name value", "--name=value", boolean "--name",
// repeatable flags and "key=value" flags collected into a map.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

namespace lcsi::csictl {

enum class FlagKind {
  kString,    // --name value (at most once)
  kBool,      // --name, or --name=true|false
  kList,      // --name value, repeatable
  kKeyValue,  // --name key=value, repeatable; later keys override earlier ones
};

struct FlagSpec {
  std::string name;  // without the leading "--"
  FlagKind kind = FlagKind::kString;
  std::string help;
  bool required = false;
  std::string value_name = "VALUE";  // shown in --help
};

class ParsedFlags {
 public:
  bool Has(const std::string& name) const;
  // The value of a kString flag, or nullopt when absent.
  std::optional<std::string> Get(const std::string& name) const;
  // Get(name) or fallback.
  std::string GetOr(const std::string& name, const std::string& fallback) const;
  bool GetBool(const std::string& name) const;
  const std::vector<std::string>& List(const std::string& name) const;
  const std::map<std::string, std::string>& Map(const std::string& name) const;

  // Used by ParseFlags.
  void SetValue(const std::string& name, std::string value);
  void AddListValue(const std::string& name, std::string value);
  void AddKeyValue(const std::string& name, std::string key, std::string value);
  void SetBool(const std::string& name, bool value);

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, bool> bools_;
  std::map<std::string, std::vector<std::string>> lists_;
  std::map<std::string, std::map<std::string, std::string>> maps_;
};

// Parses args (without the command words) against specs. Unknown flags, missing values, bad
// key=value pairs, repeated single-value flags, positional arguments and missing required flags
// are InvalidArgument errors whose message names the flag.
Result<ParsedFlags> ParseFlags(std::span<const std::string> args, std::span<const FlagSpec> specs);

// "  --name VALUE   help" lines for --help.
std::string FlagsHelp(std::span<const FlagSpec> specs);

// "key=value" -> {key, value}; the key must not be empty, the value may be.
Result<std::pair<std::string, std::string>> SplitKeyValue(const std::string& text);

}  // namespace lcsi::csictl
