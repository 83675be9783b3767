#include "nodeplugin/mount_options.h"

#include <sys/mount.h>

#include <map>
#include <set>

namespace lcsi::node {
namespace {

struct FlagWord {
  unsigned long set;
  unsigned long clear;
};

const std::map<std::string, FlagWord>& FlagWords() {
  static const std::map<std::string, FlagWord> words = {
      {"ro", {MS_RDONLY, 0}},
      {"rw", {0, MS_RDONLY}},
      {"nosuid", {MS_NOSUID, 0}},
      {"suid", {0, MS_NOSUID}},
      {"nodev", {MS_NODEV, 0}},
      {"dev", {0, MS_NODEV}},
      {"noexec", {MS_NOEXEC, 0}},
      {"exec", {0, MS_NOEXEC}},
      {"sync", {MS_SYNCHRONOUS, 0}},
      {"async", {0, MS_SYNCHRONOUS}},
      {"dirsync", {MS_DIRSYNC, 0}},
      {"noatime", {MS_NOATIME, MS_RELATIME | MS_STRICTATIME}},
      {"atime", {0, MS_NOATIME}},
      {"nodiratime", {MS_NODIRATIME, 0}},
      {"diratime", {0, MS_NODIRATIME}},
      {"relatime", {MS_RELATIME, MS_NOATIME | MS_STRICTATIME}},
      {"norelatime", {0, MS_RELATIME}},
      {"strictatime", {MS_STRICTATIME, MS_NOATIME | MS_RELATIME}},
      {"lazytime", {MS_LAZYTIME, 0}},
      {"nolazytime", {0, MS_LAZYTIME}},
      {"silent", {MS_SILENT, 0}},
      {"loud", {0, MS_SILENT}},
      {"defaults", {0, 0}},
  };
  return words;
}

const std::set<std::string>& ForbiddenWords() {
  static const std::set<std::string> words = {
      "bind",         "rbind",         "remount",     "move",
      "shared",       "private",       "slave",       "unbindable",
      "rshared",      "rprivate",      "rslave",      "runbindable",
      "make-shared",  "make-private",  "make-slave",  "make-unbindable",
      "make-rshared", "make-rprivate", "make-rslave", "make-runbindable"};
  return words;
}

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\n");
  if (begin == std::string::npos) return "";
  size_t end = s.find_last_not_of(" \t\n");
  return s.substr(begin, end - begin + 1);
}

}  // namespace

std::vector<std::string> SplitOptionList(const std::string& list) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t end = list.find(',', pos);
    if (end == std::string::npos) end = list.size();
    std::string word = Trim(list.substr(pos, end - pos));
    if (!word.empty()) words.push_back(std::move(word));
    pos = end + 1;
  }
  return words;
}

Result<MountFlags> ParseMountOptions(const std::vector<std::string>& options) {
  MountFlags result;
  for (const auto& element : options) {
    for (const auto& word : SplitOptionList(element)) {
      if (ForbiddenWords().count(word) != 0) {
        return InvalidArgument("mount option '" + word + "' is not allowed");
      }
      auto it = FlagWords().find(word);
      if (it != FlagWords().end()) {
        result.flags = (result.flags & ~it->second.clear) | it->second.set;
        continue;
      }
      if (!result.data.empty()) result.data += ',';
      result.data += word;
    }
  }
  return result;
}

}  // namespace lcsi::node
