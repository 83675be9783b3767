// bench_decode_compare: MB/s of the LINSTOR client's decoder (linstor/decode.h) turning a
// 10,000-resource GET /v1/view/resources answer into model structs, next to simdjson's raw
// parse of the same bytes (DOM parse; and an on-demand walk that visits every value), and the
// streamed element-by-element decode that ListVolumes uses.
//
// The bytes come from linstor-sim (a process): --resources/2 volumes spawned with two diskful
// replicas each (no tiebreaker), then one GET /v1/view/resources. --input FILE decodes a saved
// answer instead (e.g. from a real LINSTOR: curl -s http://ctrl:3370/v1/view/resources > f).
// The client's own synthetic benchmark is linstor_decode_bench (linstor/bench/).
#include <simdjson.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/flags_main.h"
#include "bench/bench_util.h"
#include "bench/direct_linstor.h"
#include "linstor-sim/testing/sim_process.h"
#include "linstor/decode.h"
#include "linstor/encode.h"
#include "linstor/json_array_stream.h"

namespace lcsi::bench {
namespace {

FlagSet MakeFlags() {
  FlagSet flags("bench_decode_compare",
                "MB/s of the LINSTOR client's decoder on a GET /v1/view/resources answer from\n"
                "linstor-sim, next to simdjson's raw parse of the same bytes.");
  flags.Add({.name = "resources",
             .help = "Resources in the answer (two replicas a volume).",
             .value_name = "N",
             .def = "10000"});
  flags.Add({.name = "rounds", .help = "Decodes of each kind.", .value_name = "N", .def = "10"});
  flags.Add({.name = "input",
             .help = "Decode this saved answer instead of asking linstor-sim.",
             .value_name = "FILE"});
  flags.Add({.name = "save", .help = "Write the answer to FILE.", .value_name = "FILE"});
  return flags;
}

Result<std::string> FetchFromSim(int resources) {
  sim::SimProcessOptions so;
  so.strict_schema = false;
  auto sim = sim::SimProcess::Start(so);
  if (!sim.ok()) return sim.status();
  constexpr int kWorkers = 4;
  DirectLinstor direct((*sim)->url(), kWorkers);
  linstor::ResourceGroup rg;
  rg.name = "bench-decode";
  rg.select_filter.place_count = 2;
  rg.props["DrbdOptions/auto-add-quorum-tiebreaker"] = "false";
  Reply made = direct.Post(0, "/v1/resource-groups", linstor::EncodeResourceGroup(rg));
  if (made.status != 200 && made.status != 201) {
    return Internal("creating the resource group: HTTP " + std::to_string(made.status) + " " +
                    made.body);
  }
  std::atomic<int> failed{0};
  RunConcurrently(resources / 2, kWorkers, [&](int w, int i) {
    linstor::ResourceGroupSpawn spawn;
    spawn.resource_definition_name = PvcName("decode", i);
    spawn.volume_sizes = {1024};
    spawn.resource_definition_props["Aux/csi-owner"] = "linstor-cpp.csi.io";
    spawn.resource_definition_props["Aux/csi-name"] = spawn.resource_definition_name;
    const std::string body = linstor::EncodeSpawn(spawn);
    Reply r = direct.Post(w, "/v1/resource-groups/bench-decode/spawn", body);
    // linstor-sim's small listen backlog can refuse a connection: try again; a retry of a spawn
    // that did happen answers "already exists", which is fine here.
    for (int attempt = 0; attempt < 3 && r.status == 0; ++attempt) {
      r = direct.Post(w, "/v1/resource-groups/bench-decode/spawn", body);
      if (r.body.find("already exists") != std::string::npos) r.status = 201;
    }
    if (r.status != 200 && r.status != 201) ++failed;
  });
  if (failed > 0) return Internal(std::to_string(failed.load()) + " spawns failed");
  Reply view = direct.Get(0, "/v1/view/resources");
  if (view.status != 200) return Internal("view/resources: HTTP " + std::to_string(view.status));
  return view.body;
}

// Counts every scalar of an on-demand document (forces a full walk and validation).
simdjson::error_code Walk(simdjson::ondemand::value v, size_t& scalars) {
  simdjson::ondemand::json_type t;
  if (auto e = v.type().get(t); e) return e;
  switch (t) {
    case simdjson::ondemand::json_type::array:
      for (auto element : v.get_array()) {
        simdjson::ondemand::value child;
        if (auto e = element.get(child); e) return e;
        if (auto e = Walk(child, scalars); e) return e;
      }
      return simdjson::SUCCESS;
    case simdjson::ondemand::json_type::object:
      for (auto field : v.get_object()) {
        simdjson::ondemand::value child;
        if (auto e = field.value().get(child); e) return e;
        if (auto e = Walk(child, scalars); e) return e;
      }
      return simdjson::SUCCESS;
    default: {
      ++scalars;
      std::string_view raw = v.raw_json_token();
      (void)raw;
      return simdjson::SUCCESS;
    }
  }
}

struct Line {
  const char* what;
  Samples ms;
  size_t items = 0;
};

void PrintLine(const Line& l, size_t bytes) {
  const double best = l.ms.Min(), median = l.ms.Percentile(50);
  std::printf("%-44s %7zu items  best %7.2f ms  %7.1f MB/s   median %7.2f ms  %7.1f MB/s\n", l.what,
              l.items, best, static_cast<double>(bytes) / 1e6 / (best / 1000), median,
              static_cast<double>(bytes) / 1e6 / (median / 1000));
}

int Main(int argc, char** argv) {
  FlagSet flags = MakeFlags();
  ParseFlagsOrExit(flags, argc, argv);
  const int resources = static_cast<int>(IntFlagOrExit(flags, "resources"));
  const int rounds = static_cast<int>(IntFlagOrExit(flags, "rounds"));
  const std::string input = flags.GetString("input");
  const std::string save = flags.GetString("save");
  PrintHeader("decoding GET /v1/view/resources: model structs vs simdjson raw parse", argc, argv);

  std::string body;
  if (!input.empty()) {
    std::ifstream in(input);
    std::stringstream ss;
    ss << in.rdbuf();
    body = ss.str();
  } else {
    auto fetched = FetchFromSim(resources);
    if (!fetched.ok()) {
      std::fprintf(stderr, "%s\n", fetched.status().ToString().c_str());
      return 1;
    }
    body = std::move(*fetched);
  }
  if (!save.empty()) std::ofstream(save) << body;
  std::printf("input: %s, %.2f MB; simdjson kernel %s\n",
              input.empty() ? "linstor-sim GET /v1/view/resources" : input.c_str(),
              static_cast<double>(body.size()) / 1e6,
              simdjson::get_active_implementation()->name().c_str());

  Line model{"linstor::DecodeResources -> model structs", {}, 0};
  Line stream{"streamed: JsonArrayStream + per-element decode", {}, 0};
  Line dom{"simdjson DOM parse (raw)", {}, 0};
  Line walk{"simdjson on-demand walk of every value", {}, 0};
  simdjson::dom::parser dom_parser;
  simdjson::ondemand::parser od_parser;
  const simdjson::padded_string padded(body);
  for (int r = 0; r < rounds; ++r) {
    {
      std::string copy = body;  // the decoder pads its argument in place
      const auto t0 = std::chrono::steady_clock::now();
      auto out = linstor::DecodeResources(copy);
      model.ms.Add(MsSince(t0));
      if (!out.ok()) {
        std::fprintf(stderr, "decode failed: %s\n", out.error().message().c_str());
        return 1;
      }
      model.items = out->size();
    }
    {
      // What ListVolumes does (HttpLinstorClient::ForEachResource): 16 KiB chunks as they would
      // arrive, split into elements, each decoded on its own.
      size_t n = 0;
      std::string element;
      linstor::JsonArrayStream splitter([&](std::string_view json) -> Status {
        element.assign(json);
        auto one = linstor::DecodeResource(element);
        if (!one.ok()) return Internal(one.error().message());
        ++n;
        return Status::Ok();
      });
      const auto t0 = std::chrono::steady_clock::now();
      constexpr size_t kChunk = 16 * 1024;
      for (size_t off = 0; off < body.size(); off += kChunk) {
        if (!splitter.Feed(std::string_view(body).substr(off, kChunk))) break;
      }
      Status done = splitter.Finish();
      stream.ms.Add(MsSince(t0));
      if (!done.ok()) {
        std::fprintf(stderr, "streamed decode failed: %s\n", done.ToString().c_str());
        return 1;
      }
      stream.items = n;
    }
    {
      const auto t0 = std::chrono::steady_clock::now();
      simdjson::dom::element doc;
      auto e = dom_parser.parse(padded).get(doc);
      dom.ms.Add(MsSince(t0));
      if (e) {
        std::fprintf(stderr, "DOM parse failed: %s\n", simdjson::error_message(e));
        return 1;
      }
      dom.items = doc.get_array().size();
    }
    {
      const auto t0 = std::chrono::steady_clock::now();
      simdjson::ondemand::document doc;
      size_t scalars = 0;
      auto e = od_parser.iterate(padded).get(doc);
      simdjson::ondemand::value root;
      if (!e) e = doc.get_value().get(root);
      if (!e) e = Walk(root, scalars);
      walk.ms.Add(MsSince(t0));
      if (e) {
        std::fprintf(stderr, "on-demand walk failed: %s\n", simdjson::error_message(e));
        return 1;
      }
      walk.items = scalars;
    }
  }
  PrintLine(model, body.size());
  PrintLine(stream, body.size());
  PrintLine(dom, body.size());
  std::printf("  (on-demand walk: items = scalar values)\n");
  PrintLine(walk, body.size());
  std::printf("model decode / DOM parse time (median): %.2fx\n",
              model.ms.Percentile(50) / dom.ms.Percentile(50));
  return 0;
}

}  // namespace
}  // namespace lcsi::bench

int main(int argc, char** argv) { return lcsi::bench::RunBenchmark(lcsi::bench::Main, argc, argv); }
