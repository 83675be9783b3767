#include "tools/csictl/app.h"

#include <optional>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "base/env.h"
#include "base/flags.h"
#include "tools/csictl/commands.h"
#include "tools/csictl/output.h"
#include "tools/csictl/values.h"

#ifndef LCSI_VERSION
#define LCSI_VERSION "unknown"
#endif

namespace lcsi::csictl {
namespace {

constexpr const char* kDefaultEndpoint = "unix:///csi/csi.sock";

// The global flags, wherever they stand on the command line (MainHelp describes them).
FlagSet GlobalFlags() {
  FlagSet flags("csictl", "call the RPCs of a CSI plugin over its socket");
  flags.Add(
      {.name = "endpoint", .value_name = "URI", .env = "CSI_ENDPOINT", .def = kDefaultEndpoint});
  flags.Add({.name = "timeout", .value_name = "DUR", .def = "30s"});
  flags.Add({.name = "wait", .kind = FlagKind::kBool});
  flags.Add({.name = "json", .kind = FlagKind::kBool});
  return flags;
}

// The process environment, where an empty CSI_ENDPOINT counts as unset (the default applies).
std::optional<std::string> NonEmptyEnv(const std::string& name) {
  std::optional<std::string> value = ProcessEnv()(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::string MainHelp() {
  std::string out =
      "csictl: call the RPCs of a CSI plugin over its socket.\n\n"
      "Usage: csictl [global flags] SERVICE COMMAND [flags]\n"
      "       csictl SERVICE COMMAND --help\n\n"
      "Global flags (may also follow the command):\n"
      "  --endpoint URI   plugin socket: unix:///path, /path, or host:port\n"
      "                   (default: $CSI_ENDPOINT, else unix:///csi/csi.sock)\n"
      "  --timeout DUR    deadline of the call, e.g. 30s, 2m (default 30s)\n"
      "  --wait           wait until the socket accepts connections (within --timeout)\n"
      "  --json           print the response as JSON\n"
      "  --help, --version\n\n"
      "Exit codes: 0 success, 2 bad command line, 10+N the RPC failed with gRPC code N\n"
      "(e.g. 15 NotFound, 16 AlreadyExists, 14 DeadlineExceeded, 24 Unavailable), 1 other.\n";
  for (const std::string& service : ServiceNames()) {
    out += "\n" + service + (service == "group" ? " (GroupController)" : "") + ":\n" +
           ServiceHelp(service);
  }
  return out;
}

int UsageError(std::ostream& err, const std::string& message, const std::string& hint) {
  err << "error: " << message << "\n" << hint;
  return kExitUsage;
}

}  // namespace

std::string GrpcTarget(const std::string& endpoint) {
  if (endpoint.rfind("tcp://", 0) == 0) return endpoint.substr(6);
  if (!endpoint.empty() && endpoint[0] == '/') return "unix:" + endpoint;
  return endpoint;  // unix:///p, unix:/p and host:port are understood by gRPC as they are
}

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagSet globals = GlobalFlags();
  std::vector<std::string> rest;
  if (Status s = globals.ParseKnown(args, &rest, NonEmptyEnv); !s.ok()) {
    return UsageError(err, s.message(), "Run 'csictl --help' for usage.\n");
  }
  if (globals.version_requested()) {
    out << "csictl " << LCSI_VERSION << "\n";
    return kExitOk;
  }
  if (rest.empty()) {
    if (globals.help_requested()) {
      out << MainHelp();
      return kExitOk;
    }
    return UsageError(err, "missing service", MainHelp());
  }
  const std::string& service = rest[0];
  bool known_service = false;
  for (const std::string& name : ServiceNames()) known_service |= name == service;
  if (!known_service) {
    return UsageError(err, "unknown service '" + service + "' (identity, controller, group, node)",
                      "Run 'csictl --help' for usage.\n");
  }
  if (rest.size() < 2) {
    if (globals.help_requested()) {
      out << "Usage: csictl [global flags] " << service << " COMMAND [flags]\n\nCommands:\n"
          << ServiceHelp(service);
      return kExitOk;
    }
    return UsageError(err, "missing command for " + service, "Commands:\n" + ServiceHelp(service));
  }
  const Command* command = FindCommand(service, rest[1]);
  if (command == nullptr) {
    return UsageError(err, "unknown command '" + service + " " + rest[1] + "'",
                      "Commands:\n" + ServiceHelp(service));
  }
  if (globals.help_requested()) {
    out << CommandHelp(*command);
    return kExitOk;
  }

  auto timeout = globals.GetDuration("timeout");
  if (timeout.ok() && timeout->count() <= 0) {
    timeout = InvalidArgument("--timeout: must be longer than 0s, got \"" +
                              globals.GetString("timeout") + "\"");
  }
  if (!timeout.ok()) return UsageError(err, timeout.status().message(), "");
  auto request = BuildRequest(*command, std::span(rest).subspan(2));
  if (!request.ok()) {
    return UsageError(err, request.status().message(),
                      "Run 'csictl " + service + " " + command->name + " --help' for usage.\n");
  }

  auto channel = grpc::CreateChannel(GrpcTarget(globals.GetString("endpoint")),
                                     grpc::InsecureChannelCredentials());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + *timeout);
  context.set_wait_for_ready(globals.GetBool("wait"));
  MessagePtr response;
  grpc::Status status = command->call(channel, &context, **request, &response);
  if (!status.ok()) {
    const int code = static_cast<int>(status.error_code());
    err << "error: " << CodeName(static_cast<Code>(code)) << ": " << status.error_message() << "\n";
    return kExitRpcErrorBase + code;
  }
  if (globals.GetBool("json")) {
    auto json = FormatJson(*response);
    if (!json.ok()) {
      err << "error: " << json.status().message() << "\n";
      return kExitFailure;
    }
    out << *json;
  } else {
    out << FormatReadable(*response);
  }
  return kExitOk;
}

}  // namespace lcsi::csictl
