// linstor-sim: a LINSTOR REST API simulator (see sim_server.h and --help).
#include <spdlog/spdlog.h>

#include <pthread.h>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "base/flags.h"
#include "base/flags_main.h"
#include "base/parse_int.h"
#include "linstor-sim/sim_server.h"

namespace {

constexpr const char* kSummary =
    R"(A LINSTOR REST API (v1) simulator: serves the endpoints a LINSTOR client such as the CSI
plugin uses, with LINSTOR's JSON shapes, ApiCallRc codes and HTTP status codes, plus an
admin API under /admin/v1/ (fault injection, node offline/online, in-use, counters).

Durability: a request is acknowledged once the change is in memory; a crash (SIGKILL) can
lose the changes of the last persist interval. SIGTERM/SIGINT stop gracefully: the state is
written and loop devices are detached (the next start re-attaches them).)";

void AddSimFlags(lcsi::FlagSet& flags) {
  using lcsi::FlagKind;
  flags.Add({.name = "listen",
             .help = "Address to serve on; port 0 picks a free port.",
             .value_name = "HOST:PORT",
             .env = "LINSTOR_SIM_LISTEN",
             .def = "127.0.0.1:3370"});
  flags.Add({.name = "cluster",
             .help = "Cluster file (JSON: nodes, node props, storage pools, diskless-only nodes); "
                     "default: 3 nodes sat-alpha/bravo/charlie in zones zone-a/b/c, each with "
                     "LVM_THIN pool \"pool1\" (100 GiB) and the diskless pool "
                     "\"DfltDisklessStorPool\".",
             .value_name = "FILE",
             .env = "LINSTOR_SIM_CLUSTER"});
  flags.Add({.name = "data-dir",
             .help = "Keep state in DIR/state.json (atomic writes, coalesced every "
                     "--persist-interval-ms, synchronous on SIGTERM/SIGINT) and, with "
                     "--backing=loop, the volume files; without it state is in memory.",
             .value_name = "DIR",
             .env = "LINSTOR_SIM_DATA_DIR"});
  flags.Add({.name = "backing",
             .help = "none: nominal device paths /dev/drbd<minor>; loop: every volume is a sparse "
                     "file attached to a loop device that all of the volume's resources report "
                     "as device_path (root only).",
             .value_name = "none|loop",
             .env = "LINSTOR_SIM_BACKING",
             .def = "none"});
  flags.Add({.name = "tls-cert",
             .help = "Serve HTTPS with this certificate (PEM) ...",
             .value_name = "FILE"});
  flags.Add({.name = "tls-key", .help = "... and this private key (PEM).", .value_name = "FILE"});
  flags.Add({.name = "tls-client-ca",
             .help = "With TLS: require client certificates signed by this CA.",
             .value_name = "FILE"});
  flags.Add({.name = "seed",
             .help = "Seed for placement tie-breaks and UUIDs.",
             .value_name = "N",
             .env = "LINSTOR_SIM_SEED",
             .def = "1"});
  flags.Add({.name = "strict-schema",
             .kind = FlagKind::kBool,
             .help = "Check request bodies and query parameters against the LINSTOR schema "
                     "(violations answer 400) and every response before it is sent.",
             .env = "LINSTOR_SIM_STRICT_SCHEMA"});
  flags.Add({.name = "persist-interval-ms",
             .help = "Coalescing interval of state writes.",
             .value_name = "N",
             .def = "200"});
  flags.Add({.name = "threads", .help = "HTTP worker threads.", .value_name = "N", .def = "32"});
  flags.Add({.name = "port-file",
             .help = "Write the bound port to FILE once listening.",
             .value_name = "FILE"});
  flags.Add({.name = "log-level",
             .help = "trace, debug, info, warn, error, off.",
             .value_name = "LEVEL",
             .env = "LINSTOR_SIM_LOG_LEVEL",
             .def = "info"});
}

// The integer flag `name`, at least `min`.
template <typename T>
lcsi::Result<T> IntFlag(const lcsi::FlagSet& flags, const std::string& name, T min) {
  const std::string& text = flags.GetString(name);
  const std::optional<T> value = lcsi::ParseInt<T>(text);
  if (!value || *value < min) {
    return lcsi::InvalidArgument("--" + name + ": expected an integer of at least " +
                                 std::to_string(min) + ", got '" + text + "'");
  }
  return *value;
}

lcsi::Result<lcsi::sim::SimOptions> OptionsFromFlags(const lcsi::FlagSet& flags) {
  lcsi::sim::SimOptions opts;
  opts.listen = flags.GetString("listen");
  opts.cluster_file = flags.GetString("cluster");
  opts.data_dir = flags.GetString("data-dir");
  opts.backing = flags.GetString("backing");
  opts.tls_cert = flags.GetString("tls-cert");
  opts.tls_key = flags.GetString("tls-key");
  opts.tls_client_ca = flags.GetString("tls-client-ca");
  opts.strict_schema = flags.GetBool("strict-schema");
  opts.port_file = flags.GetString("port-file");
  auto seed = IntFlag<uint64_t>(flags, "seed", 0);
  if (!seed.ok()) return seed.status();
  opts.seed = *seed;
  auto interval = IntFlag<int>(flags, "persist-interval-ms", 0);
  if (!interval.ok()) return interval.status();
  opts.persist_interval_ms = *interval;
  auto threads = IntFlag<int>(flags, "threads", 1);
  if (!threads.ok()) return threads.status();
  opts.threads = *threads;
  return opts;
}

}  // namespace

int main(int argc, char** argv) {
  lcsi::FlagSet flags("linstor-sim", kSummary);
  AddSimFlags(flags);
  lcsi::ParseFlagsOrExit(flags, argc, argv);
  auto options = OptionsFromFlags(flags);
  if (!options.ok()) {
    std::fprintf(stderr, "linstor-sim: %s\n", options.status().message().c_str());
    return 2;
  }
  const lcsi::sim::SimOptions& opts = *options;
  spdlog::set_level(spdlog::level::from_str(flags.GetString("log-level")));

  // Signals are taken by sigwait below; block them in every thread we start.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  lcsi::sim::SimServer server(opts);
  lcsi::Status st = server.Start();
  if (!st.ok()) {
    spdlog::error("linstor-sim: {}", st.ToString());
    return 1;
  }
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("linstor-sim: signal {}, stopping", sig);
  server.Stop();
  return 0;
}
