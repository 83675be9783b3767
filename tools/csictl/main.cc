// csictl: a command-line client for the CSI plugin's gRPC socket. See app.h.
#include <iostream>
#include <string>
#include <vector>

#include "tools/csictl/app.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return lcsi::csictl::Run(args, std::cout, std::cerr);
}
