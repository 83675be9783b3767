// Standalone driver for the libFuzzer targets, built with the normal compiler (gcc) so each
// target also runs in the ordinary CI: it feeds every corpus file to LLVMFuzzerTestOneInput,
// then N seeded mutations of them. Deterministic per --seed; on a crash the input being run is
// written to ./fuzz-crash-<target> so it can be replayed (by this driver or by libFuzzer).
//
//   <target>_standalone [--runs N] [--seed S] [--max-len L] [--dict FILE] [--max-seconds T]
//                       CORPUS_DIR_OR_FILE...      (--help lists the flags)
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "base/flags_main.h"
#include "test/fuzz/dictionary.h"
#include "test/fuzz/mutator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

// The input being run, for the crash handler (async-signal-safe access only).
const char* g_current = nullptr;
size_t g_current_size = 0;
char g_crash_path[256] = "fuzz-crash-input";

void OnCrash(int sig) {
  int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0 && g_current != nullptr) {
    ssize_t ignored = write(fd, g_current, g_current_size);
    (void)ignored;
    close(fd);
  }
  const char msg[] = "\nfuzz driver: crash; input saved to ";
  ssize_t ignored = write(2, msg, sizeof(msg) - 1);
  ignored = write(2, g_crash_path, strlen(g_crash_path));
  ignored = write(2, "\n", 1);
  (void)ignored;
  signal(sig, SIG_DFL);
  raise(sig);
}

// Runs one input from an exactly-sized heap buffer, so out-of-bounds reads are caught by
// ASan in the sanitizer build (and more often crash in the plain one).
void RunOne(const std::string& input) {
  std::vector<uint8_t> buffer(input.begin(), input.end());
  g_current = input.data();
  g_current_size = input.size();
  LLVMFuzzerTestOneInput(buffer.empty() ? nullptr : buffer.data(), buffer.size());
  g_current = nullptr;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

lcsi::FlagSet MakeFlags(const std::string& name) {
  const std::string summary =
      "Runs every corpus input through the fuzz target, then seeded mutations of them;\n"
      "a crashing input is saved to ./fuzz-crash-" +
      name + ".";
  lcsi::FlagSet flags(name, summary);
  flags.AcceptPositional("CORPUS_DIR_OR_FILE...");
  flags.Add({.name = "runs", .help = "Mutations to run.", .value_name = "N", .def = "10000"});
  flags.Add({.name = "seed", .help = "Seed of the mutations.", .value_name = "S", .def = "1"});
  flags.Add({.name = "max-len",
             .help = "Longest mutated input in bytes.",
             .value_name = "L",
             .def = "4096"});
  flags.Add({.name = "dict",
             .help = "Dictionary of tokens for the mutations (libFuzzer format).",
             .value_name = "FILE"});
  flags.Add({.name = "max-seconds",
             .help = "Stop the mutations after T seconds; 0: no limit.",
             .value_name = "T",
             .def = "0"});
  return flags;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string name = fs::path(argc > 0 ? argv[0] : "fuzz_driver").filename().string();
  lcsi::FlagSet flags = MakeFlags(name);
  lcsi::ParseFlagsOrExit(flags, argc, argv);
  const uint64_t runs = static_cast<uint64_t>(lcsi::IntFlagOrExit(flags, "runs"));
  const uint64_t seed = static_cast<uint64_t>(lcsi::IntFlagOrExit(flags, "seed"));
  const size_t max_len = static_cast<size_t>(lcsi::IntFlagOrExit(flags, "max-len"));
  const double max_seconds = lcsi::NumberFlagOrExit(flags, "max-seconds");
  const std::string dict_path = flags.GetString("dict");
  const std::vector<std::string>& inputs = flags.positional();
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::snprintf(g_crash_path, sizeof(g_crash_path), "fuzz-crash-%s", name.c_str());
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) signal(sig, OnCrash);

  std::vector<std::string> corpus;
  for (const auto& input : inputs) {
    if (fs::is_directory(input)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(input)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());  // directory order is not stable; seeds must be
      for (const auto& f : files) corpus.push_back(ReadFile(f));
    } else if (fs::is_regular_file(input)) {
      corpus.push_back(ReadFile(input));
    } else {
      std::cerr << name << ": no such corpus: " << input << "\n";
      return 2;
    }
  }
  std::vector<std::string> dictionary;
  if (!dict_path.empty()) {
    auto parsed = lcsi::fuzz::ParseDictionary(ReadFile(dict_path));
    if (!parsed.ok()) {
      std::cerr << name << ": " << dict_path << ": " << parsed.status().message() << "\n";
      return 2;
    }
    dictionary = std::move(*parsed);
  }
  if (corpus.empty()) corpus.push_back("");

  auto start = std::chrono::steady_clock::now();
  for (const auto& input : corpus) RunOne(input);
  lcsi::fuzz::Mutator mutator(seed, dictionary);
  uint64_t done = 0;
  for (; done < runs; ++done) {
    if (max_seconds > 0 && done % 256 == 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >
            max_seconds) {
      break;
    }
    const std::string& base = corpus[mutator.Below(corpus.size())];
    const std::string& other = corpus[mutator.Below(corpus.size())];
    RunOne(mutator.Mutate(base, other, max_len));
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << name << ": " << corpus.size() << " corpus inputs, " << done << " mutations (seed "
            << seed << ", " << dictionary.size() << " dictionary tokens) in " << secs
            << " s: no crash\n";
  return 0;
}
