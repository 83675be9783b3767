// csictl's command line: global flags, command dispatch, help, the RPC call and its output.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace lcsi::csictl {

// Exit codes. An RPC that fails with gRPC code C exits with kExitRpcErrorBase + C
// (NotFound = 15, AlreadyExists = 16, DeadlineExceeded = 14, Unavailable = 24, ...), so scripts
// can tell "not found" from "could not connect".
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // local failure (e.g. output could not be printed)
inline constexpr int kExitUsage = 2;    // bad command line
inline constexpr int kExitRpcErrorBase = 10;

// "unix:///p", "unix:/p", "/p" (unix socket), "tcp://host:port" or "host:port" -> gRPC target.
std::string GrpcTarget(const std::string& endpoint);

// Runs csictl with args (argv without argv[0]). Response goes to out, errors and help for
// errors to err.
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace lcsi::csictl
