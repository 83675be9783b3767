#include "tools/csictl/app.h"

#include <cstdlib>
#include <optional>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "base/duration.h"
#include "tools/csictl/commands.h"
#include "tools/csictl/output.h"
#include "tools/csictl/values.h"

#ifndef LCSI_VERSION
#define LCSI_VERSION "unknown"
#endif

namespace lcsi::csictl {
namespace {

constexpr const char* kDefaultEndpoint = "unix:///csi/csi.sock";

struct GlobalOptions {
  std::string endpoint;
  std::string timeout = "30s";
  bool json = false;
  bool wait = false;
  bool help = false;
  bool version = false;
};

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

// Takes the global flags out of args wherever they are; returns the rest in order.
std::optional<std::string> ExtractGlobals(const std::vector<std::string>& args,
                                          GlobalOptions* options, std::vector<std::string>* rest) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value_of = [&](const std::string& name, std::string* value) -> std::optional<bool> {
      const std::string flag = "--" + name;
      if (arg == flag) {
        if (i + 1 >= args.size()) return false;
        *value = args[++i];
        return true;
      }
      if (arg.rfind(flag + "=", 0) == 0) {
        *value = arg.substr(flag.size() + 1);
        return true;
      }
      return std::nullopt;
    };
    bool matched = false;
    for (auto [name, target] :
         {std::pair{"endpoint", &options->endpoint}, std::pair{"timeout", &options->timeout}}) {
      if (auto got = value_of(name, target)) {
        if (!*got) return "--" + std::string(name) + " needs a value";
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (arg == "--json") {
      options->json = true;
    } else if (arg == "--wait") {
      options->wait = true;
    } else if (arg == "--help" || arg == "-h") {
      options->help = true;
    } else if (arg == "--version") {
      options->version = true;
    } else {
      rest->push_back(arg);
    }
  }
  return std::nullopt;
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
  GlobalOptions options;
  const char* env_endpoint = std::getenv("CSI_ENDPOINT");
  options.endpoint = env_endpoint != nullptr && *env_endpoint ? env_endpoint : kDefaultEndpoint;
  std::vector<std::string> rest;
  if (auto problem = ExtractGlobals(args, &options, &rest)) {
    return UsageError(err, *problem, "Run 'csictl --help' for usage.\n");
  }
  if (options.version) {
    out << "csictl " << LCSI_VERSION << "\n";
    return kExitOk;
  }
  if (rest.empty()) {
    if (options.help) {
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
    if (options.help) {
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
  if (options.help) {
    out << CommandHelp(*command);
    return kExitOk;
  }

  auto timeout = ParseDuration(options.timeout);
  if (timeout.ok() && timeout->count() <= 0) {
    timeout = InvalidArgument("must be longer than 0s, got \"" + options.timeout + "\"");
  }
  if (!timeout.ok()) {
    return UsageError(err, "--timeout: " + timeout.status().message(), "");
  }
  auto request = BuildRequest(*command, std::span(rest).subspan(2));
  if (!request.ok()) {
    return UsageError(err, request.status().message(),
                      "Run 'csictl " + service + " " + command->name + " --help' for usage.\n");
  }

  auto channel =
      grpc::CreateChannel(GrpcTarget(options.endpoint), grpc::InsecureChannelCredentials());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + *timeout);
  context.set_wait_for_ready(options.wait);
  MessagePtr response;
  grpc::Status status = command->call(channel, &context, **request, &response);
  if (!status.ok()) {
    const int code = static_cast<int>(status.error_code());
    err << "error: " << CodeName(static_cast<Code>(code)) << ": " << status.error_message() << "\n";
    return kExitRpcErrorBase + code;
  }
  if (options.json) {
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
