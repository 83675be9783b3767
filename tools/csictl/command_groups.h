// The commands of each CSI service, in --help order; commands.cc puts them into one table.
#pragma once

#include <vector>

#include "tools/csictl/commands.h"

namespace lcsi::csictl {

std::vector<Command> IdentityCommands();         // commands_identity.cc
std::vector<Command> ControllerCommands();       // commands_controller.cc
std::vector<Command> GroupControllerCommands();  // commands_group_controller.cc
std::vector<Command> NodeCommands();             // commands_node.cc

}  // namespace lcsi::csictl
