#include "nodeplugin/stage_record.h"

#include <simdjson.h>

#include "csi/json_writer.h"

namespace lcsi::node {

std::string StageRecordPath(const std::string& staging_path) {
  std::string path = staging_path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path + ".lcsi-stage.json";
}

std::string StageRecordToJson(const StageRecord& r) {
  JsonWriter w;
  w.BeginObject()
      .Field("version", 1)
      .Field("volume_id", r.volume_id)
      .Field("device", r.device)
      .Field("block", r.block)
      .Field("fs_type", r.fs_type)
      .Field("requested_fs", r.requested_fs)
      .Field("access_mode", r.access_mode)
      .Key("mount_flags")
      .StringArray(r.mount_flags)
      .Field("read_only", r.read_only)
      .EndObject();
  return w.Take() + "\n";
}

Result<StageRecord> StageRecordFromJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return InvalidArgument("stage record is not a JSON object");
  }
  StageRecord r;
  std::string_view text;
  if (root["volume_id"].get(text) != simdjson::SUCCESS || text.empty()) {
    return InvalidArgument("stage record lacks volume_id");
  }
  r.volume_id = std::string(text);
  if (root["device"].get(text) == simdjson::SUCCESS) r.device = std::string(text);
  if (root["fs_type"].get(text) == simdjson::SUCCESS) r.fs_type = std::string(text);
  if (root["requested_fs"].get(text) == simdjson::SUCCESS) r.requested_fs = std::string(text);
  bool flag = false;
  if (root["block"].get(flag) == simdjson::SUCCESS) r.block = flag;
  if (root["read_only"].get(flag) == simdjson::SUCCESS) r.read_only = flag;
  int64_t mode = 0;
  if (root["access_mode"].get(mode) == simdjson::SUCCESS) r.access_mode = static_cast<int>(mode);
  simdjson::dom::array flags;
  if (root["mount_flags"].get(flags) == simdjson::SUCCESS) {
    for (auto element : flags) {
      if (element.get(text) != simdjson::SUCCESS) {
        return InvalidArgument("stage record mount_flags must be strings");
      }
      r.mount_flags.emplace_back(text);
    }
  }
  return r;
}

Status WriteStageRecord(Filesystem& files, const std::string& staging_path,
                        const StageRecord& record) {
  return files.WriteFileAtomically(StageRecordPath(staging_path), StageRecordToJson(record), 0600,
                                   Durability::kSurvivesProcessCrash);
}

Result<std::optional<StageRecord>> ReadStageRecord(Filesystem& files,
                                                   const std::string& staging_path) {
  std::string path = StageRecordPath(staging_path);
  auto json = files.ReadFile(path);
  if (!json.ok()) {
    if (json.status().code() == Code::kNotFound) return std::optional<StageRecord>();
    return json.status();
  }
  auto record = StageRecordFromJson(*json);
  if (!record.ok()) {
    return Status(Code::kDataLoss,
                  "corrupt stage record " + path + ": " + record.status().message());
  }
  return std::optional<StageRecord>(std::move(record).value());
}

Status RemoveStageRecord(Filesystem& files, const std::string& staging_path) {
  return files.Remove(StageRecordPath(staging_path));
}

}  // namespace lcsi::node
