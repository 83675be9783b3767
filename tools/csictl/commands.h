// The table of csictl commands: one per RPC of the CSI Identity, Controller, GroupController and
// Node services. Each command knows its flags, how to build its request from them, and how to send
// it over a channel.
// Each command is one function in commands_<service>.cc (command_builders.h: what they share).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include "base/flags.h"
#include "base/status.h"

namespace lcsi::csictl {

using MessagePtr = std::unique_ptr<google::protobuf::Message>;

struct Command {
  std::string service;  // identity | controller | group | node
  std::string name;     // e.g. "create-volume"
  std::string rpc;      // the CSI RPC, e.g. "CreateVolume"
  std::string summary;  // one line for --help
  std::vector<FlagSpec> flags;
  std::function<Result<MessagePtr>(const FlagSet&)> build;
  // Sends request (built by `build`) and stores the response in *response.
  std::function<grpc::Status(const std::shared_ptr<grpc::Channel>&, grpc::ClientContext*,
                             const google::protobuf::Message& request, MessagePtr* response)>
      call;
};

const std::vector<Command>& Commands();

// The services in the order --help lists them.
const std::vector<std::string>& ServiceNames();

// Finds a command by service and name. The name may also be the RPC name in any case, with or
// without dashes ("CreateVolume", "create-volume", "NodeStageVolume" and "stage" for node).
const Command* FindCommand(std::string_view service, std::string_view name);

// The parser of a command's flags: command.flags, a single-value flag given twice is an error.
FlagSet CommandFlags(const Command& command);

// Parses args with command.flags and builds the request.
Result<MessagePtr> BuildRequest(const Command& command, std::span<const std::string> args);

// "Usage: csictl controller create-volume [flags]" with the flag table.
std::string CommandHelp(const Command& command);

// The command list of one service.
std::string ServiceHelp(std::string_view service);

}  // namespace lcsi::csictl
