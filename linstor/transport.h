// Transport: how HttpLinstorClient's requests reach a LINSTOR controller. The client encodes
// each request and decodes each answer; a Transport only carries them. Implementations:
//   HttpTransport (linstor/http_transport.h): the real one, HTTP(S) with pooling, failover,
//     retries, TLS and auth; the plugin binaries use only this one;
//   InProcessTransport (linstor/sim/testing/in_process_transport.h, tests only): hands each
//     request to linstor-sim's router in the same process, without sockets or threads.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "linstor/errors.h"

namespace lcsi::linstor {

struct HttpResponse {
  int status = 0;
  std::string body;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Sends one request and returns the final answer whatever its status, or a kUnavailable
  // LinstorError when no answer could be obtained. 'body' == nullptr: no body. 'path'
  // includes the query string; 'path_template' names the endpoint ("/v1/nodes/{node}").
  virtual LinstorResult<HttpResponse> Send(std::string_view method, std::string_view path_template,
                                           const std::string& path, const std::string* body) = 0;

  // Like Send, for large answers: a 2xx answer's body goes to `on_body` chunk by chunk
  // (HttpResponse::body stays empty), so it is never held whole; any other answer is
  // collected into HttpResponse::body as usual. `on_body` returning false aborts the
  // transfer (the result is then an error).
  using BodySink = std::function<bool(const char* data, size_t size)>;
  virtual LinstorResult<HttpResponse> SendStreaming(std::string_view method,
                                                    std::string_view path_template,
                                                    const std::string& path,
                                                    const BodySink& on_body) = 0;
};

}  // namespace lcsi::linstor
