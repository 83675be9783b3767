// linstor-sim's command line (base's FlagSet): --help, and bad flags or environment values
// are a one-line error and exit code 2 instead of a server started with a garbage setting.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#ifndef LCSI_SIM_BINARY
#error "LCSI_SIM_BINARY (path of the built linstor-sim) must be defined by CMake"
#endif

namespace lcsi::sim::testing {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs linstor-sim with `args` (shell words) under a timeout: a sim that starts anyway is killed
// after 5 s (exit 124) instead of hanging the test. Port 0 keeps it off fixed ports.
Outcome RunSim(const std::string& env, const std::string& args) {
  const std::string command = env + " timeout 5 " + LCSI_SIM_BINARY +
                              " --listen 127.0.0.1:0 --log-level off " + args + " 2>&1";
  Outcome out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    out.output.append(buffer, n);
  const int status = ::pclose(pipe);
  if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
  return out;
}

TEST(SimCommandLineTest, HelpListsEveryFlagWithItsEnvironmentVariable) {
  Outcome help = RunSim("", "--help");
  EXPECT_EQ(help.exit_code, 0) << help.output;
  for (const char* part :
       {"--listen HOST:PORT",      "LINSTOR_SIM_LISTEN",    "--cluster FILE",
        "LINSTOR_SIM_CLUSTER",     "--data-dir DIR",        "LINSTOR_SIM_DATA_DIR",
        "--backing none|loop",     "LINSTOR_SIM_BACKING",   "--tls-cert FILE",
        "--tls-key FILE",          "--tls-client-ca FILE",  "--seed N",
        "LINSTOR_SIM_SEED",        "--strict-schema",       "LINSTOR_SIM_STRICT_SCHEMA",
        "--persist-interval-ms N", "--threads N",           "--port-file FILE",
        "--log-level LEVEL",       "LINSTOR_SIM_LOG_LEVEL", "Durability:"}) {
    EXPECT_NE(help.output.find(part), std::string::npos) << part << "\n" << help.output;
  }
}

TEST(SimCommandLineTest, BadValuesAreOneLineErrorsWithExitCode2) {
  struct Case {
    std::string env;
    std::string args;
    std::string message;
  };
  for (const Case& c : {
           Case{"", "--threads abc",
                "linstor-sim: --threads: expected an integer of at least 1, "
                "got 'abc'\n"},
           Case{"", "--threads=0",
                "linstor-sim: --threads: expected an integer of at least 1, "
                "got '0'\n"},
           Case{"", "--persist-interval-ms -5",
                "linstor-sim: --persist-interval-ms: expected an integer of at least 0, got "
                "'-5'\n"},
           Case{"LINSTOR_SIM_SEED=x", "",
                "linstor-sim: --seed: expected an integer of at least 0, got 'x'\n"},
           Case{"", "--seed 18446744073709551616",
                "linstor-sim: --seed: expected an integer of at least 0, got "
                "'18446744073709551616'\n"},
           Case{"LINSTOR_SIM_STRICT_SCHEMA=maybe", "",
                "linstor-sim: environment LINSTOR_SIM_STRICT_SCHEMA: --strict-schema: expected "
                "true or false, got 'maybe'\n"},
           Case{"", "--bogus", "linstor-sim: unknown flag --bogus (see --help)\n"},
           Case{"", "--port-file", "linstor-sim: flag --port-file needs a value\n"},
       }) {
    Outcome run = RunSim(c.env, c.args);
    EXPECT_EQ(run.exit_code, 2) << c.env << " " << c.args << "\n" << run.output;
    EXPECT_EQ(run.output, c.message) << c.env << " " << c.args;
  }
}

}  // namespace
}  // namespace lcsi::sim::testing
