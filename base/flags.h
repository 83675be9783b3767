// Command-line flags with environment-variable fallbacks, required flags and generated --help:
// the one flag parser of the plugins, csictl and linstor-sim. Precedence: command line >
// environment > default.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "base/env.h"
#include "base/status.h"

namespace lcsi {

enum class FlagKind {
  kString,    // --name VALUE
  kBool,      // --name, or --name=true|false
  kList,      // --name A,B: repeatable, every value split at commas (so is the env value)
  kRepeated,  // --name VALUE: repeatable, each value kept whole (commas included); the env
              // value is one value
  kKeyValue,  // --name KEY=VALUE: repeatable, a later key overrides an earlier one; the env
              // value and the default are comma-separated KEY=VALUE pairs
};

// Meant for designated initializers: {.name = "size", .help = "...", .value_name = "SIZE"}. Every
// member has a default so that the ones left out need no mention.
struct FlagSpec {
  std::string name = {};  // without the leading "--"
  FlagKind kind = FlagKind::kString;
  std::string help = {};
  // --help shows "--name VALUE_NAME"; empty: VALUE (KEY=VALUE for kKeyValue).
  std::string value_name = {};
  bool required = false;  // Parse fails unless the command line or the environment sets it
  std::string env = {};   // environment fallback; empty: none
  // The value when neither the command line nor the environment sets it (a kBool: "" is false).
  std::string def = {};
};

// "key=value" -> {key, value}: the first '=' splits, the key must not be empty, the value may be.
Result<std::pair<std::string, std::string>> SplitKeyValue(const std::string& text);

class FlagSet {
 public:
  FlagSet(std::string program, std::string summary);

  // Registers a flag; a name registered twice is a programming error (std::logic_error).
  void Add(FlagSpec spec);
  // Shorthands for Add. `env` may be empty (no fallback).
  void AddString(const std::string& name, const std::string& env, const std::string& def,
                 const std::string& help);
  void AddBool(const std::string& name, const std::string& env, bool def, const std::string& help);
  void AddList(const std::string& name, const std::string& env, const std::string& def,
               const std::string& help);

  // By default a kString flag given twice takes the last value (a manifest may append an
  // override); after this call it is an InvalidArgument error instead.
  void RejectRepeatedValues() { reject_repeats_ = true; }

  // Lets Parse keep arguments that are not flags (see positional()) instead of refusing them;
  // `usage` names them after "[flags]" in --help, e.g. "CORPUS_DIR_OR_FILE...".
  void AcceptPositional(std::string usage) { positional_usage_ = std::move(usage); }

  // Parses argv[1..] (argv[0] is the program). Accepts "--name value", "--name=value" and bare
  // "--flag" for booleans; "--help"/"-h" and "--version" set help_requested()/version_requested().
  // Unknown flags, missing values, bad booleans, malformed KEY=VALUE, positional arguments (unless
  // accepted) and missing required flags are InvalidArgument errors whose message names the flag.
  Status Parse(int argc, const char* const* argv, const EnvLookup& env = ProcessEnv());
  // The same for arguments without the program name.
  Status Parse(std::span<const std::string> args, const EnvLookup& env = ProcessEnv());
  // For a program whose subcommands parse their own flags: takes the flags of this set wherever
  // they stand and leaves every other argument, in order, in *rest (an unknown flag does not
  // take the argument after it). Otherwise as Parse.
  Status ParseKnown(std::span<const std::string> args, std::vector<std::string>* rest,
                    const EnvLookup& env = ProcessEnv());

  // The value (the last one for a list); the default when unset.
  const std::string& GetString(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  // The values of a kList or kRepeated flag.
  std::vector<std::string> GetList(const std::string& name) const;
  // The pairs of a kKeyValue flag.
  std::map<std::string, std::string> GetMap(const std::string& name) const;
  Result<std::chrono::milliseconds> GetDuration(const std::string& name) const;
  Result<long long> GetInt(const std::string& name) const;
  Result<double> GetDouble(const std::string& name) const;
  // Whether the command line or the environment set the flag (a default does not count).
  bool IsSet(const std::string& name) const;
  // GetString(name) when IsSet(name), else nullopt.
  std::optional<std::string> GetIfSet(const std::string& name) const;

  // The arguments that were not flags, in order (after AcceptPositional).
  const std::vector<std::string>& positional() const { return positional_; }

  const std::string& program() const { return program_; }
  bool help_requested() const { return help_; }
  bool version_requested() const { return version_; }
  // "Usage: program [flags]" (and the positional usage), the summary and FlagTable() with --help
  // and --version.
  std::string Help() const;
  // One "  --name VALUE   help (repeatable) (required) (default: x) [env X]" row per flag in the
  // order they were added, the help column aligned and wrapped at 100 characters.
  std::string FlagTable() const;

 private:
  struct Flag {
    FlagSpec spec;
    std::vector<std::string> values;  // set by Parse
    bool set = false;                 // by the command line or the environment
  };
  const Flag& Find(const std::string& name) const;
  Status ParseArgs(std::span<const std::string> args, std::vector<std::string>* rest,
                   const EnvLookup& env);
  Status Resolve(Flag& flag, const std::vector<std::string>* given, const EnvLookup& env);
  std::string Table(const std::vector<std::pair<std::string, std::string>>& extra_rows) const;

  std::string program_;
  std::string summary_;
  std::vector<std::string> order_;
  std::map<std::string, Flag> flags_;
  bool reject_repeats_ = false;
  std::optional<std::string> positional_usage_;  // set: positional arguments are accepted
  std::vector<std::string> positional_;
  bool help_ = false;
  bool version_ = false;
};

}  // namespace lcsi
