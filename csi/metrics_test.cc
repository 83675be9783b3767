#include "csi/metrics.h"

#include <gtest/gtest.h>

namespace lcsi {
namespace {

TEST(Metrics, RendersCountersAndHistograms) {
  Metrics m;
  m.SetBuildInfo("1.2.3", "drv.example", "controller");
  m.ObserveRpc("CreateVolume", Code::kOk, 0.003);
  m.ObserveRpc("CreateVolume", Code::kOk, 0.2);
  m.ObserveRpc("CreateVolume", Code::kAborted, 0.001);
  m.ObserveLinstorRequest("POST", "/v1/resource-groups/{rg}/spawn", 201, 0.002);
  m.ObserveLinstorRequest("GET", "/v1/nodes", 0, 1.0);
  std::string text = m.RenderPrometheus();
  EXPECT_NE(
      text.find(
          "lcsi_build_info{version=\"1.2.3\",driver=\"drv.example\",component=\"controller\"} 1"),
      std::string::npos);
  EXPECT_NE(text.find("lcsi_rpc_total{method=\"CreateVolume\",code=\"OK\"} 2"), std::string::npos);
  EXPECT_NE(text.find("lcsi_rpc_total{method=\"CreateVolume\",code=\"Aborted\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("lcsi_rpc_duration_seconds_bucket{method=\"CreateVolume\",le=\"0.005\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("lcsi_rpc_duration_seconds_count{method=\"CreateVolume\"} 3"),
            std::string::npos);
  EXPECT_NE(text.find("lcsi_linstor_requests_total{method=\"POST\",endpoint=\"/v1/resource-groups/"
                      "{rg}/spawn\",status=\"2xx\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("status=\"conn_error\"} 1"), std::string::npos);
  EXPECT_NE(text.find("lcsi_inflight_operations 0"), std::string::npos);
  // Only a node that staged something has stage steps.
  EXPECT_EQ(text.find("lcsi_node_stage_step_seconds"), std::string::npos);
}

TEST(Metrics, RendersStageStepsByStep) {
  Metrics m;
  m.ObserveStageStep("probe", 0.002);
  m.ObserveStageStep("probe", 0.02);
  m.ObserveStageStep("mkfs.ext4", 0.3);
  std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE lcsi_node_stage_step_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("lcsi_node_stage_step_seconds_bucket{step=\"probe\",le=\"0.0025\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("lcsi_node_stage_step_seconds_count{step=\"probe\"} 2"), std::string::npos);
  EXPECT_NE(text.find("lcsi_node_stage_step_seconds_sum{step=\"mkfs.ext4\"} 0.3"),
            std::string::npos);
}

}  // namespace
}  // namespace lcsi
