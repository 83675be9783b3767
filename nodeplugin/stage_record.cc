#include "nodeplugin/stage_record.h"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lcsi::node {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

Status ErrnoError(const std::string& what) { return Internal(what + ": " + std::strerror(errno)); }

}  // namespace

std::string StageRecordPath(const std::string& staging_path) {
  std::string path = staging_path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path + ".lcsi-stage.json";
}

std::string StageRecordToJson(const StageRecord& r) {
  std::string flags = "[";
  for (size_t i = 0; i < r.mount_flags.size(); ++i) {
    flags += (i ? "," : "") + Quote(r.mount_flags[i]);
  }
  flags += "]";
  return "{\"version\":1,\"volume_id\":" + Quote(r.volume_id) + ",\"device\":" + Quote(r.device) +
         ",\"block\":" + (r.block ? "true" : "false") + ",\"fs_type\":" + Quote(r.fs_type) +
         ",\"requested_fs\":" + Quote(r.requested_fs) +
         ",\"access_mode\":" + std::to_string(r.access_mode) + ",\"mount_flags\":" + flags +
         ",\"read_only\":" + (r.read_only ? "true" : "false") + "}\n";
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

Status WriteStageRecord(const std::string& staging_path, const StageRecord& record) {
  std::string path = StageRecordPath(staging_path);
  std::string temp = path + ".tmp";
  std::string json = StageRecordToJson(record);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return ErrnoError("create " + temp);
  bool ok = ::write(fd, json.data(), json.size()) == static_cast<ssize_t>(json.size()) &&
            ::fsync(fd) == 0;
  int write_errno = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(temp.c_str());
    errno = write_errno;
    return ErrnoError("write " + temp);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status status = ErrnoError("rename " + temp);
    ::unlink(temp.c_str());
    return status;
  }
  return Status::Ok();
}

Result<std::optional<StageRecord>> ReadStageRecord(const std::string& staging_path) {
  std::string path = StageRecordPath(staging_path);
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return std::optional<StageRecord>();
    return ErrnoError("read " + path);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto record = StageRecordFromJson(buffer.str());
  if (!record.ok()) {
    return Status(Code::kDataLoss,
                  "corrupt stage record " + path + ": " + record.status().message());
  }
  return std::optional<StageRecord>(std::move(record).value());
}

Status RemoveStageRecord(const std::string& staging_path) {
  std::string path = StageRecordPath(staging_path);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoError("remove " + path);
  return Status::Ok();
}

}  // namespace lcsi::node
