// linstor-sim: a LINSTOR REST API simulator (see sim_server.h and --help).
#include <spdlog/spdlog.h>

#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "linstor-sim/sim_server.h"

namespace {

constexpr const char* kUsage = R"(Usage: linstor-sim [flags]

A LINSTOR REST API (v1) simulator: serves the endpoints a LINSTOR client such as the CSI
plugin uses, with LINSTOR's JSON shapes, ApiCallRc codes and HTTP status codes, plus an
admin API under /admin/v1/ (fault injection, node offline/online, in-use, counters).

Flags (environment fallback in brackets):
  --listen HOST:PORT     address to serve on; port 0 picks a free port
                         [LINSTOR_SIM_LISTEN] (default 127.0.0.1:3370)
  --cluster FILE         cluster file (JSON: nodes, node props, storage pools, diskless-only
                         nodes); default: 3 nodes sat-alpha/bravo/charlie in zones
                         zone-a/b/c, each with LVM_THIN pool "pool1" (100 GiB) and the
                         diskless pool "DfltDisklessStorPool" [LINSTOR_SIM_CLUSTER]
  --data-dir DIR         keep state in DIR/state.json (atomic writes, coalesced every
                         --persist-interval-ms, synchronous on SIGTERM/SIGINT) and, with
                         --backing=loop, the volume files; without it state is in memory
                         [LINSTOR_SIM_DATA_DIR]
  --backing none|loop    none: nominal device paths /dev/drbd<minor>; loop: every volume
                         is a sparse file attached to a loop device that all of the
                         volume's resources report as device_path (root only)
                         [LINSTOR_SIM_BACKING] (default none)
  --tls-cert FILE        serve HTTPS with this certificate (PEM) ...
  --tls-key FILE         ... and this private key (PEM)
  --tls-client-ca FILE   with TLS: require client certificates signed by this CA
  --seed N               seed for placement tie-breaks and UUIDs (default 1)
                         [LINSTOR_SIM_SEED]
  --strict-schema        check request bodies and query parameters against the LINSTOR
                         schema (violations answer 400) and every response before it is
                         sent [LINSTOR_SIM_STRICT_SCHEMA=1]
  --persist-interval-ms N  coalescing interval of state writes (default 200)
  --threads N            HTTP worker threads (default 32)
  --port-file FILE       write the bound port to FILE once listening
  --log-level LEVEL      trace, debug, info, warn, error, off [LINSTOR_SIM_LOG_LEVEL]
                         (default info)
  --help                 this text

Durability: a request is acknowledged once the change is in memory; a crash (SIGKILL) can
lose the changes of the last persist interval. SIGTERM/SIGINT stop gracefully: the state is
written and loop devices are detached (the next start re-attaches them).
)";

const char* Env(const char* name) { return std::getenv(name); }

}  // namespace

int main(int argc, char** argv) {
  lcsi::sim::SimOptions opts;
  std::string log_level = "info";
  if (const char* v = Env("LINSTOR_SIM_LISTEN")) opts.listen = v;
  if (const char* v = Env("LINSTOR_SIM_CLUSTER")) opts.cluster_file = v;
  if (const char* v = Env("LINSTOR_SIM_DATA_DIR")) opts.data_dir = v;
  if (const char* v = Env("LINSTOR_SIM_BACKING")) opts.backing = v;
  if (const char* v = Env("LINSTOR_SIM_SEED")) opts.seed = std::strtoull(v, nullptr, 10);
  if (const char* v = Env("LINSTOR_SIM_STRICT_SCHEMA")) opts.strict_schema = std::string(v) == "1";
  if (const char* v = Env("LINSTOR_SIM_LOG_LEVEL")) log_level = v;

  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    const auto eq = arg.find('=');
    bool has_inline = false;
    if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline = true;
    }
    auto next = [&]() -> std::string {
      if (has_inline) return value;
      if (i + 1 >= argc) {
        std::fprintf(stderr, "linstor-sim: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--listen") {
      opts.listen = next();
    } else if (arg == "--cluster") {
      opts.cluster_file = next();
    } else if (arg == "--data-dir") {
      opts.data_dir = next();
    } else if (arg == "--backing") {
      opts.backing = next();
    } else if (arg == "--tls-cert") {
      opts.tls_cert = next();
    } else if (arg == "--tls-key") {
      opts.tls_key = next();
    } else if (arg == "--tls-client-ca") {
      opts.tls_client_ca = next();
    } else if (arg == "--seed") {
      opts.seed = std::strtoull(next().c_str(), nullptr, 10);
    } else if (arg == "--strict-schema") {
      opts.strict_schema = true;
    } else if (arg == "--persist-interval-ms") {
      opts.persist_interval_ms = std::atoi(next().c_str());
    } else if (arg == "--threads") {
      opts.threads = std::atoi(next().c_str());
    } else if (arg == "--port-file") {
      opts.port_file = next();
    } else if (arg == "--log-level") {
      log_level = next();
    } else {
      std::fprintf(stderr, "linstor-sim: unknown flag %s (see --help)\n", arg.c_str());
      return 2;
    }
  }
  spdlog::set_level(spdlog::level::from_str(log_level));

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
