#include "tools/csictl/commands.h"

#include <algorithm>
#include <cctype>

#include "tools/csictl/command_groups.h"

namespace lcsi::csictl {
namespace {

// The table in --help order: Identity, Controller, GroupController, Node.
std::vector<Command> MakeCommands() {
  std::vector<Command> all;
  for (auto group : {IdentityCommands, ControllerCommands, GroupControllerCommands, NodeCommands}) {
    for (Command& command : group()) all.push_back(std::move(command));
  }
  return all;
}

// Lower case without '-' and '_': "Create-Volume" == "createvolume".
std::string Normalize(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '-' || ch == '_') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  return out;
}

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = MakeCommands();
  return commands;
}

const std::vector<std::string>& ServiceNames() {
  static const std::vector<std::string> names = {"identity", "controller", "group", "node"};
  return names;
}

const Command* FindCommand(std::string_view service, std::string_view name) {
  const std::string wanted = Normalize(name);
  for (const Command& command : Commands()) {
    if (command.service != service) continue;
    if (Normalize(command.name) == wanted || Normalize(command.rpc) == wanted) return &command;
    // "node stage-volume" / "controller publish" style shorthands.
    if (Normalize(command.name) + "volume" == wanted) return &command;
  }
  return nullptr;
}

FlagSet CommandFlags(const Command& command) {
  FlagSet flags("csictl " + command.service + " " + command.name, command.summary);
  flags.RejectRepeatedValues();  // a script that says --name twice has a bug
  for (const FlagSpec& spec : command.flags) flags.Add(spec);
  return flags;
}

Result<MessagePtr> BuildRequest(const Command& command, std::span<const std::string> args) {
  FlagSet flags = CommandFlags(command);
  // Command flags have no environment fallback (only the global --endpoint has).
  LCSI_RETURN_IF_ERROR(flags.Parse(args, MapEnv({})));
  return command.build(flags);
}

std::string CommandHelp(const Command& command) {
  std::string out = "Usage: csictl [global flags] " + command.service + " " + command.name +
                    (command.flags.empty() ? "" : " [flags]") + "\n\n" + command.summary +
                    " (CSI " + command.rpc + ").\n";
  if (!command.flags.empty()) out += "\nFlags:\n" + CommandFlags(command).FlagTable();
  return out;
}

std::string ServiceHelp(std::string_view service) {
  std::string out;
  size_t width = 0;
  for (const Command& command : Commands()) {
    if (command.service == service) width = std::max(width, command.name.size());
  }
  for (const Command& command : Commands()) {
    if (command.service != service) continue;
    out += "  " + command.name + std::string(width - command.name.size() + 2, ' ') +
           command.summary + "\n";
  }
  return out;
}

}  // namespace lcsi::csictl
