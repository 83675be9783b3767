// What the command files (commands_<service>.cc) share: the glue from a typed stub method and
// request to a Command, and the flags several RPCs take with how they fill a request.
#pragma once

#include <google/protobuf/map.h>
#include <google/protobuf/repeated_ptr_field.h>

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/flags.h"
#include "base/status.h"
#include "csi/csi.pb.h"
#include "tools/csictl/commands.h"

namespace lcsi::csictl {

// ---- glue from typed stubs and requests to Command -------------------------------------------

template <typename Stub, typename Req, typename Resp>
auto Caller(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*)) {
  return [method](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* context,
                  const google::protobuf::Message& request, MessagePtr* response) {
    Stub stub(channel);
    auto typed = std::make_unique<Resp>();
    grpc::Status status = (stub.*method)(context, static_cast<const Req&>(request), typed.get());
    *response = std::move(typed);
    return status;
  };
}

template <typename Req>
std::function<Result<MessagePtr>(const FlagSet&)> Builder(
    std::function<Status(const FlagSet&, Req*)> fill) {
  return [fill](const FlagSet& flags) -> Result<MessagePtr> {
    auto request = std::make_unique<Req>();
    LCSI_RETURN_IF_ERROR(fill(flags, request.get()));
    return MessagePtr(std::move(request));
  };
}

// Requests without fields.
template <typename Req>
std::function<Result<MessagePtr>(const FlagSet&)> EmptyBuilder() {
  return [](const FlagSet&) -> Result<MessagePtr> { return MessagePtr(new Req()); };
}

std::vector<FlagSpec> Concat(std::initializer_list<std::vector<FlagSpec>> parts);
void CopyMap(const std::map<std::string, std::string>& from,
             google::protobuf::Map<std::string, std::string>* to);

// ---- flag specs ---------------------------------------------------------------------------

FlagSpec Req(std::string name, std::string help, std::string value_name = "VALUE");  // required
FlagSpec Opt(std::string name, std::string help, std::string value_name = "VALUE");  // optional
FlagSpec Bool(std::string name, std::string help);
FlagSpec KeyValues(std::string name, std::string help);  // repeated KEY=VALUE
FlagSpec List(std::string name, std::string help, bool required = false,
              std::string value_name = "VALUE");  // repeated, each value whole

// ---- flag groups shared by several RPCs, and how they fill a request ----------------------

const std::vector<FlagSpec>& SecretFlags();
const std::vector<FlagSpec>& CapabilityFlags();
const std::vector<FlagSpec>& CapacityFlags(bool required);
bool HasCapabilityFlags(const FlagSet& flags);
Status FillCapability(const FlagSet& flags, ::csi::v1::VolumeCapability* capability);
Status FillCapacity(const FlagSet& flags, ::csi::v1::CapacityRange* range);
bool HasCapacityFlags(const FlagSet& flags);
// A non-negative int32 flag; 0 when absent.
Result<int32_t> ParseCount(const FlagSet& flags, const std::string& name);
Status AddTopologies(const std::vector<std::string>& texts, const std::string& flag,
                     google::protobuf::RepeatedPtrField<::csi::v1::Topology>* out);

}  // namespace lcsi::csictl
