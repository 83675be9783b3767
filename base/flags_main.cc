#include "base/flags_main.h"

#include <cstdio>
#include <cstdlib>

#ifndef LCSI_VERSION
#define LCSI_VERSION "unknown"
#endif

namespace lcsi {

namespace {

[[noreturn]] void ExitWithError(const FlagSet& flags, const Status& status) {
  std::fprintf(stderr, "%s: %s\n", flags.program().c_str(), status.message().c_str());
  std::exit(2);
}

template <typename T>
T ValueOrExit(const FlagSet& flags, const Result<T>& value) {
  if (!value.ok()) ExitWithError(flags, value.status());
  return *value;
}

}  // namespace

void ParseFlagsOrExit(FlagSet& flags, int argc, const char* const* argv) {
  if (Status s = flags.Parse(argc, argv); !s.ok()) ExitWithError(flags, s);
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    std::exit(0);
  }
  if (flags.version_requested()) {
    std::printf("%s %s\n", flags.program().c_str(), LCSI_VERSION);
    std::exit(0);
  }
}

long long IntFlagOrExit(const FlagSet& flags, const std::string& name) {
  return ValueOrExit(flags, flags.GetInt(name));
}

double NumberFlagOrExit(const FlagSet& flags, const std::string& name) {
  return ValueOrExit(flags, flags.GetDouble(name));
}

}  // namespace lcsi
