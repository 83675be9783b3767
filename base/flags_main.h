// How a program's main() reads its FlagSet, so that every tool answers --help, --version and a
// bad flag alike: the help on stdout and exit 0; "program: message" on stderr and exit 2.
#pragma once

#include <string>

#include "base/flags.h"

namespace lcsi {

// Parses argv[1..] into `flags`. --help prints Help() and --version "program VERSION", both exit
// 0; an unknown flag, a missing or malformed value or an unexpected argument exits 2.
void ParseFlagsOrExit(FlagSet& flags, int argc, const char* const* argv);

// flags.GetInt(name) / GetDouble(name); a value that is not one exits 2 with a message naming
// the flag.
long long IntFlagOrExit(const FlagSet& flags, const std::string& name);
double NumberFlagOrExit(const FlagSet& flags, const std::string& name);

}  // namespace lcsi
