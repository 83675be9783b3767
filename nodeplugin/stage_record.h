// What NodeStageVolume did, written next to the staging path so that idempotency checks and block
// mode (which mounts nothing) survive a plugin restart: "<staging_target_path>.lcsi-stage.json".
// The file lives in the directory the CO created the staging path in, and NodeUnstageVolume
// removes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "csi/status.h"
#include "nodeplugin/filesystem_seam.h"

namespace lcsi::node {

struct StageRecord {
  std::string volume_id;
  std::string device;                    // e.g. /dev/drbd1000
  bool block = false;                    // block access type: nothing mounted at the staging path
  std::string fs_type;                   // filesystem mounted (mount access type)
  std::string requested_fs;              // fs_type as requested ("" = default)
  int access_mode = 0;                   // csi::v1::VolumeCapability::AccessMode::Mode value
  std::vector<std::string> mount_flags;  // the capability's mount_flags, as given
  bool read_only = false;                // staged read-only

  bool operator==(const StageRecord&) const = default;
};

std::string StageRecordPath(const std::string& staging_path);

std::string StageRecordToJson(const StageRecord& record);
// InvalidArgument for malformed JSON or missing required fields.
Result<StageRecord> StageRecordFromJson(std::string_view json);

// Atomic for readers (Filesystem::WriteFileAtomically), and not synced to disk
// (Durability::kSurvivesProcessCrash): the record describes a mount, and mounts do not outlive a
// machine crash; after a reboot the CO stages again and Stage rewrites a lost or unreadable
// record (a plugin crash loses nothing: the page cache survives it). An fsync here cost 4-24 ms
// per stage on a busy disk (docs/benchmarks.md).
Status WriteStageRecord(Filesystem& files, const std::string& staging_path,
                        const StageRecord& record);
// nullopt when there is no record; a corrupt record is DataLoss.
Result<std::optional<StageRecord>> ReadStageRecord(Filesystem& files,
                                                   const std::string& staging_path);
// Removing a missing record is OK.
Status RemoveStageRecord(Filesystem& files, const std::string& staging_path);

}  // namespace lcsi::node
