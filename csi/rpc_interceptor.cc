#include "csi/rpc_interceptor.h"

#include <google/protobuf/message.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <string>

#include "csi/metrics.h"
#include "csi/redaction.h"

namespace lcsi {

namespace {

using grpc::experimental::InterceptionHookPoints;

// "/csi.v1.Controller/CreateVolume" -> "CreateVolume"
std::string ShortMethod(const char* full) {
  std::string m = full == nullptr ? "" : full;
  size_t slash = m.rfind('/');
  return slash == std::string::npos ? m : m.substr(slash + 1);
}

class RpcInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit RpcInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(ShortMethod(info->method())), start_(std::chrono::steady_clock::now()) {
    Metrics::Global().RpcStarted();
  }
  ~RpcInterceptor() override { Metrics::Global().RpcFinished(); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Every CSI request is a protobuf message; gRPC hands it to us type-erased.
      auto* request = static_cast<const google::protobuf::Message*>(methods->GetRecvMessage());
      if (request != nullptr) {
        subject_ = RequestSubject(*request);
        if (spdlog::should_log(spdlog::level::debug)) request_text_ = RedactedText(*request);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      Log(status);
    }
    methods->Proceed();
  }

 private:
  void Log(const grpc::Status& status) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    auto code = static_cast<Code>(status.error_code());
    Metrics::Global().ObserveRpc(method_, code, seconds);
    auto level = status.ok() ? spdlog::level::info : spdlog::level::warn;
    // Probe and capability calls are frequent and uninteresting when they succeed.
    if (status.ok() && (method_ == "Probe" || method_.ends_with("GetCapabilities"))) {
      level = spdlog::level::debug;
    }
    std::string line = "rpc=" + method_;
    if (!subject_.empty()) line += " subject=" + subject_;
    line += " duration_ms=" + std::to_string(static_cast<long long>(seconds * 1000)) +
            " code=" + CodeName(code);
    if (!status.ok()) line += " error=\"" + status.error_message() + "\"";
    if (!request_text_.empty()) line += " request={" + request_text_ + "}";
    spdlog::log(level, "{}", line);
  }

  std::string method_;
  std::chrono::steady_clock::time_point start_;
  std::string subject_;
  std::string request_text_;
};

}  // namespace

grpc::experimental::Interceptor* RpcInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcInterceptor(info);  // gRPC takes ownership
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeRpcInterceptors() {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> out;
  out.push_back(std::make_unique<RpcInterceptorFactory>());
  return out;
}

}  // namespace lcsi
