// Prints how long the response decoders take on large, realistic answers:
// GET /v1/view/resources with 10,000 resources and GET /v1/resource-definitions with
// 10,000 RDs. Not a test: numbers only (see docs/benchmarks.md).
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "linstor/decode.h"

namespace {

std::string ViewResources(int n) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) {
    if (i) s += ',';
    const std::string rd = "pvc-" + std::to_string(100000 + i) + "-0c1b7b2e-3c44-4b8e-9a6f";
    const std::string minor = std::to_string(1000 + i);
    s += R"({"name":")" + rd + R"(","node_name":"sat-)" + std::to_string(i % 50) +
         R"(","props":{"StorPoolName":"pool1","Aux/csi/owner":"linstor.csi.example.org"},)"
         R"("flags":[],"layer_object":{"children":[{"children":[],"resource_name_suffix":"",)"
         R"("type":"STORAGE","storage":{"storage_volumes":[{"volume_number":0,"device_path":)"
         R"("/dev/vg/x_00000","allocated_size_kib":1052672,"usable_size_kib":1052672,)"
         R"("disk_state":"[]"}]}}],"resource_name_suffix":"","type":"DRBD","drbd":{)"
         R"("node_id":0,"peer_slots":7,"al_stripes":1,"al_size":32,"flags":["INITIALIZED"],)"
         R"("connections":{"sat-1":{"connected":true,"message":"Connected"}},)"
         R"("promotion_score":10102,"may_promote":false}},"state":{"in_use":false},)"
         R"("uuid":"e4e4e4e4-0000-0000-0000-000000000001","create_timestamp":1719306123456,)"
         R"("volumes":[{"volume_number":0,"storage_pool_name":"pool1","provider_kind":"LVM_THIN",)"
         R"("device_path":"/dev/drbd)" +
         minor +
         R"(","allocated_size_kib":1052672,"usable_size_kib":1048576,"props":{},"flags":[],)"
         R"("state":{"disk_state":"UpToDate"},"layer_data_list":[{"type":"DRBD","data":{)"
         R"("drbd_volume_definition":{"volume_number":0,"minor_number":)" +
         minor + R"(},"device_path":"/dev/drbd)" + minor +
         R"(","allocated_size_kib":1048576,"usable_size_kib":1048576,"disk_state":"UpToDate"}}],)"
         R"("uuid":"f5f5f5f5-0000-0000-0000-000000000001","reports":[]}]})";
  }
  return s + "]";
}

std::string ResourceDefinitions(int n) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) {
    if (i) s += ',';
    const std::string rd = "pvc-" + std::to_string(100000 + i) + "-0c1b7b2e-3c44-4b8e-9a6f";
    s += R"({"name":")" + rd +
         R"(","props":{"DrbdOptions/Resource/quorum":"majority","Aux/csi/owner":)"
         R"("linstor.csi.example.org","Aux/csi/name":")" +
         rd +
         R"("},"flags":[],"layer_data":[{"type":"DRBD","data":{"peer_slots":7,"al_stripes":1,)"
         R"("al_stripe_size_kib":32,"port":7000,"transport_type":"IP","secret":"x","down":false}},)"
         R"({"type":"STORAGE"}],"uuid":"c2c2c2c2-0000-0000-0000-000000000001",)"
         R"("resource_group_name":"sc-3a1f9c","volume_definitions":[{"volume_number":0,)"
         R"("size_kib":1048576,"props":{},"flags":[],"layer_data":[{"type":"DRBD","data":{)"
         R"("volume_number":0,"minor_number":1000}},{"type":"STORAGE"}],"uuid":"d3"}]})";
  }
  return s + "]";
}

template <typename F>
void Measure(const char* what, std::string body, F decode, int rounds) {
  double best = 1e30;
  size_t items = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    auto out = decode(body);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!out.ok()) {
      std::printf("%s: decode failed: %s\n", what, out.error().message().c_str());
      return;
    }
    items = out->size();
    if (ms < best) best = ms;
  }
  std::printf("%-34s %6zu items %7.2f MB  best %7.2f ms  %7.1f MB/s\n", what, items,
              static_cast<double>(body.size()) / 1e6, best,
              static_cast<double>(body.size()) / 1e6 / (best / 1000));
}

}  // namespace

int main() {
  std::printf("simdjson on-demand kernel: %s\n",
              simdjson::builtin_implementation()->name().c_str());
  Measure("GET /v1/view/resources (10k)", ViewResources(10000), lcsi::linstor::DecodeResources, 10);
  Measure("GET /v1/resource-definitions (10k)", ResourceDefinitions(10000),
          lcsi::linstor::DecodeResourceDefinitions, 10);
  return 0;
}
