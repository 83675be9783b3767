// Direct LINSTOR REST calls from the benchmark itself, bypassing the plugin: the "floor" of the
// provisioning benchmark and the fast creation of fixtures (thousands of owned volumes).
// One keep-alive connection per worker slot, so N workers keep N requests in flight without
// connection churn.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "linstor/model.h"

namespace httplib {
class Client;
}

namespace lcsi::bench {

struct Reply {
  int status = 0;  // 0: no answer
  std::string body;
};

class DirectLinstor {
 public:
  DirectLinstor(std::string url, int workers);
  ~DirectLinstor();

  // Thread-safe as long as each worker index is used by one thread at a time.
  Reply Get(int worker, const std::string& path_and_query);
  Reply Post(int worker, const std::string& path, const std::string& body);

  // The resource definition of an existing volume (props, group, volume definitions).
  Result<linstor::ResourceDefinition> GetResourceDefinition(const std::string& name);

 private:
  std::string url_;
  std::vector<std::unique_ptr<httplib::Client>> clients_;
};

// A spawn body like the plugin's CreateVolume sends: same group, sizes and properties as
// `template_rd` (a volume the plugin created), with the RD name and Aux/csi-name replaced.
std::string SpawnBodyLike(const linstor::ResourceDefinition& template_rd, const std::string& rd,
                          const std::string& csi_name);

}  // namespace lcsi::bench
