// Runner of the CSI conformance suite: starts the real stack once (linstor-sim in loop mode,
// linstor-csi-controller, linstor-csi-node on unix sockets), runs every case, prints each
// case's rule and spec section with its result, and ends with the one summary line
// "N passed, N failed[, N skipped]".
//
// Environment: CONFORMANCE_BACKING=none runs without loop devices (node cases that need a real
// device then fail); KEEP=1 keeps the stack's temp dir and logs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>

#include "test/conformance/conformance.h"

namespace lcsi::conformance {
namespace {

std::unique_ptr<CsiStack> g_stack;
std::string g_stack_error;
std::mutex g_spec_mu;
std::map<std::string, std::pair<std::string, std::string>> g_specs;  // test -> rule, section

std::string CurrentTestName() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return info == nullptr ? "" : std::string(info->test_suite_name()) + "." + info->name();
}

class StackEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    testing::StackOptions options;
    if (const char* b = getenv("CONFORMANCE_BACKING")) options.backing = b;
    options.dir_prefix = "lcsi-conformance";
    options.log_level = "debug";  // so the secrets case also covers debug logging
    auto stack = CsiStack::Start(options);
    if (stack.ok()) {
      g_stack = std::move(*stack);
      std::cout << "stack: sim " << g_stack->sim_url() << ", controller "
                << g_stack->controller_socket() << ", node " << g_stack->node_socket() << "\n";
    } else {
      g_stack_error = stack.status().ToString();
      std::cout << "stack failed to start: " << g_stack_error << "\n";
    }
  }
  void TearDown() override { g_stack.reset(); }
};

// Prints "PASS|FAIL|SKIP  <rule>  (spec <section>)" per case and the closing summary line.
class SpecListener : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo& info) override {
    std::string name = std::string(info.test_suite_name()) + "." + info.name();
    const char* verdict = info.result()->Skipped()  ? "SKIP"
                          : info.result()->Passed() ? "PASS"
                                                    : "FAIL";
    if (info.result()->Skipped()) {
      ++skipped_;
    } else if (info.result()->Passed()) {
      ++passed_;
    } else {
      ++failed_;
    }
    std::lock_guard<std::mutex> lock(g_spec_mu);
    auto it = g_specs.find(name);
    std::cout << "[spec] " << verdict << "  ";
    if (it != g_specs.end()) {
      std::cout << it->second.first << "  (spec " << it->second.second << ")";
    } else {
      std::cout << name << "  (no spec rule recorded)";
    }
    std::cout << "  [" << name << "]" << std::endl;
  }
  void PrintSummary() const {
    std::cout << "\n" << passed_ << " passed, " << failed_ << " failed";
    if (skipped_ > 0) std::cout << ", " << skipped_ << " skipped";
    std::cout << std::endl;
  }
  int failed() const { return failed_; }

 private:
  int passed_ = 0, failed_ = 0, skipped_ = 0;
};

}  // namespace

CsiStack* Stack() { return g_stack.get(); }
const std::string& StackError() { return g_stack_error; }

void Spec(const std::string& rule, const std::string& section) {
  std::lock_guard<std::mutex> lock(g_spec_mu);
  g_specs[CurrentTestName()] = {rule, section};
  ::testing::Test::RecordProperty("spec", section);
}

}  // namespace lcsi::conformance

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new lcsi::conformance::StackEnvironment);
  auto* listener = new lcsi::conformance::SpecListener;  // owned by gtest
  ::testing::UnitTest::GetInstance()->listeners().Append(listener);
  int rc = RUN_ALL_TESTS();
  // After gtest's own summary, so it is the last line of the output.
  listener->PrintSummary();
  return rc != 0 || listener->failed() > 0 ? 1 : 0;
}
