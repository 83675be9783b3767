// Shared helpers of linstor-sim's tests: a small HTTP client that also checks every
// LINSTOR response it receives against the schema, and JSON access via simdjson DOM.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "linstor-sim/testing/sim_process.h"

namespace lcsi::sim::testing {

struct HttpReply {
  int status = 0;  // 0: connection failed
  std::string body;
  std::string error;  // httplib error name when status == 0
};

// Parsed JSON that owns its parser.
class Json {
 public:
  explicit Json(const std::string& text);
  simdjson::dom::element root() const { return root_; }
  bool ok() const { return ok_; }

 private:
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
  bool ok_ = false;
};

class SimHttp {
 public:
  explicit SimHttp(std::string url);
  HttpReply Get(const std::string& path);
  HttpReply Post(const std::string& path, const std::string& body);
  HttpReply Put(const std::string& path, const std::string& body);
  HttpReply Delete(const std::string& path);
  // Endpoints ("METHOD /template") that answered 2xx so far.
  const std::vector<std::string>& covered() const { return covered_; }

 private:
  HttpReply Finish(const std::string& method, const std::string& path, HttpReply reply);
  std::string url_;
  std::vector<std::string> covered_;
};

// ret_code of the first ApiCallRc entry with error bits, or of the first entry.
uint64_t FirstRetCode(const std::string& body);
// True when some entry has exactly these bits set in (type | object | code).
bool HasRetCode(const std::string& body, uint64_t ret_code);
// Number of elements of a JSON array answer.
size_t ArraySize(const std::string& body);
// Names ("name" or "node_name" field) of the elements of an array answer.
std::vector<std::string> Field(const std::string& body, const char* field);

// Takes snapshot `name` of resource definition `rd`; asserts success.
void TakeSnapshot(SimHttp& http, const std::string& rd, const std::string& name);

// A test fixture with an in-process strict simulator on the default cluster.
class SimFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  // Creates resource group `rg` with `filter_json` (an AutoSelectFilter object) and spawns
  // `rd` with one volume of `size_kib`; asserts success.
  void CreateRg(const std::string& rg, const std::string& filter_json);
  void Spawn(const std::string& rg, const std::string& rd, int64_t size_kib = 1024);
  // Adds volume definition 0 of `size_kib` to resource definition `rd`; asserts success.
  void CreateVd(const std::string& rd, int64_t size_kib);
  // Restores snapshot `snap` of `src` into resource definition `dst`: its volume definitions,
  // then its resources.
  HttpReply RestoreVd(const std::string& src, const std::string& snap, const std::string& dst);
  HttpReply Restore(const std::string& src, const std::string& snap, const std::string& dst);
  int64_t PoolFree(const std::string& node, const std::string& pool = "pool1");

  std::unique_ptr<ScopedSimServer> sim_;
  std::unique_ptr<SimHttp> http_;
};

}  // namespace lcsi::sim::testing
