#include "nodeplugin/filesystem.h"

#include <gtest/gtest.h>

#include <map>

#include "nodeplugin/fake_device_probe.h"
#include "nodeplugin/fake_exec.h"

namespace lcsi::node {
namespace {

using Kind = ProbeResult::Kind;
using Action = FsPlan::Action;

TEST(ClassifyProbeValuesTest, Table) {
  using Values = std::map<std::string, std::string>;
  struct Case {
    Values values;
    Kind kind;
    std::string type;
  };
  for (const Case& c : std::initializer_list<Case>{
           {{{"UUID", "x"}, {"TYPE", "ext4"}, {"USAGE", "filesystem"}}, Kind::kFilesystem, "ext4"},
           {{{"TYPE", "xfs"}, {"USAGE", "filesystem"}}, Kind::kFilesystem, "xfs"},
           {{{"PTUUID", "abc"}, {"PTTYPE", "dos"}}, Kind::kPartitionTable, ""},
           {{{"PTTYPE", "gpt"}, {"TYPE", "iso9660"}, {"USAGE", "filesystem"}},
            Kind::kPartitionTable,
            "iso9660"},
           {{{"TYPE", "LVM2_member"}, {"USAGE", "raid"}}, Kind::kOtherSignature, "LVM2_member"},
           {{{"TYPE", "crypto_LUKS"}, {"USAGE", "crypto"}}, Kind::kOtherSignature, "crypto_LUKS"},
           {{{"TYPE", "swap"}, {"USAGE", "other"}}, Kind::kOtherSignature, "swap"},
           {{{"PART_ENTRY_SCHEME", "dos"}, {"PART_ENTRY_TYPE", "0x83"}}, Kind::kOtherSignature, ""},
           {{{"UUID", "only"}}, Kind::kOtherSignature, ""},
       }) {
    ProbeResult probe = ClassifyProbeValues(c.values);
    EXPECT_EQ(probe.kind, c.kind) << probe.Describe();
    EXPECT_EQ(probe.type, c.type) << probe.Describe();
  }
}

ProbeResult Probe(Kind kind, std::string type = "", std::string pttype = "") {
  ProbeResult p;
  p.kind = kind;
  p.type = std::move(type);
  p.pttype = std::move(pttype);
  if (kind == Kind::kFilesystem) p.usage = "filesystem";
  return p;
}

TEST(DecideFilesystemTest, Table) {
  struct Case {
    const char* name;
    ProbeResult probe;
    std::string requested;
    bool read_only;
    Code code;
    Action action;
    std::string fs;
  };
  const Code ok = Code::kOk;
  const Code refuse = Code::kFailedPrecondition;
  for (const Case& c : std::initializer_list<Case>{
           {"blank default", Probe(Kind::kBlank), "", false, ok, Action::kFormat, "ext4"},
           {"blank ext4", Probe(Kind::kBlank), "ext4", false, ok, Action::kFormat, "ext4"},
           {"blank xfs", Probe(Kind::kBlank), "xfs", false, ok, Action::kFormat, "xfs"},
           {"blank read-only", Probe(Kind::kBlank), "ext4", true, refuse, {}, ""},
           {"ext4 rw checks", Probe(Kind::kFilesystem, "ext4"), "ext4", false, ok, Action::kCheck,
            "ext4"},
           {"ext4 ro as is", Probe(Kind::kFilesystem, "ext4"), "ext4", true, ok, Action::kMountAsIs,
            "ext4"},
           {"xfs rw no fsck", Probe(Kind::kFilesystem, "xfs"), "xfs", false, ok, Action::kMountAsIs,
            "xfs"},
           {"existing fs, none requested", Probe(Kind::kFilesystem, "xfs"), "", false, ok,
            Action::kMountAsIs, "xfs"},
           {"ext3 kept when none requested", Probe(Kind::kFilesystem, "ext3"), "", false, ok,
            Action::kCheck, "ext3"},
           {"mismatch xfs vs ext4", Probe(Kind::kFilesystem, "xfs"), "ext4", false, refuse, {}, ""},
           {"mismatch ext3 vs ext4",
            Probe(Kind::kFilesystem, "ext3"),
            "ext4",
            false,
            refuse,
            {},
            ""},
           {"foreign fs", Probe(Kind::kFilesystem, "btrfs"), "", false, refuse, {}, ""},
           {"partition table",
            Probe(Kind::kPartitionTable, "", "dos"),
            "ext4",
            false,
            refuse,
            {},
            ""},
           {"lvm pv", Probe(Kind::kOtherSignature, "LVM2_member"), "", false, refuse, {}, ""},
           {"ambivalent", Probe(Kind::kAmbivalent), "", false, refuse, {}, ""},
           {"unsupported request",
            Probe(Kind::kBlank),
            "btrfs",
            false,
            Code::kInvalidArgument,
            {},
            ""},
       }) {
    auto plan = DecideFilesystem(c.probe, c.requested, c.read_only, "/dev/drbd1000");
    EXPECT_EQ(plan.ok() ? Code::kOk : plan.status().code(), c.code) << c.name;
    if (plan.ok() && c.code == Code::kOk) {
      EXPECT_EQ(plan->action, c.action) << c.name;
      EXPECT_EQ(plan->fs_type, c.fs) << c.name;
    }
    if (!plan.ok()) {
      EXPECT_NE(plan.status().message().find(c.code == refuse ? "/dev/drbd1000" : "btrfs"),
                std::string::npos)
          << c.name << ": " << plan.status().message();
    }
  }
}

TEST(DecideFilesystemTest, RefusalMessagesSayWhatIsThere) {
  auto plan = DecideFilesystem(Probe(Kind::kPartitionTable, "", "gpt"), "", false, "/dev/x");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().message(),
            "/dev/x holds a gpt partition table: refusing to format or mount it");
  plan = DecideFilesystem(Probe(Kind::kFilesystem, "xfs"), "ext4", false, "/dev/x");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().message(),
            "/dev/x already holds an xfs filesystem, not the requested ext4: refusing to "
            "reformat it");
}

TEST(FsckTest, ExitCodes) {
  std::string warning;
  EXPECT_TRUE(InterpretFsck({0, "", ""}, "/dev/x", &warning).ok());
  EXPECT_TRUE(InterpretFsck({1, "", "fixed"}, "/dev/x", &warning).ok());
  EXPECT_TRUE(warning.empty());
  EXPECT_TRUE(InterpretFsck({2, "", "reboot"}, "/dev/x", &warning).ok());
  EXPECT_NE(warning.find("reboot"), std::string::npos);
  Status uncorrected = InterpretFsck({4, "", "UNEXPECTED INCONSISTENCY"}, "/dev/x", nullptr);
  EXPECT_EQ(uncorrected.code(), Code::kFailedPrecondition);
  EXPECT_NE(uncorrected.message().find("UNEXPECTED INCONSISTENCY"), std::string::npos);
  EXPECT_EQ(InterpretFsck({8, "", "op error"}, "/dev/x", nullptr).code(), Code::kInternal);
  EXPECT_EQ(InterpretFsck({12, "", ""}, "/dev/x", nullptr).code(), Code::kInternal);
}

TEST(FsOptsTest, SplitsAndRejectsForce) {
  auto opts = ParseFsOpts("  -E lazy_itable_init=1  -L 'my label' -m\"0\" ");
  ASSERT_TRUE(opts.ok());
  EXPECT_EQ(*opts, (std::vector<std::string>{"-E", "lazy_itable_init=1", "-L", "my label", "-m0"}));
  EXPECT_TRUE(ParseFsOpts("")->empty());
  EXPECT_EQ(ParseFsOpts("-L 'x").status().code(), Code::kInvalidArgument);
  for (const char* force : {"-F", "-f", "--force"}) {
    auto forced = ParseFsOpts(std::string("-q ") + force);
    ASSERT_FALSE(forced.ok()) << force;
    EXPECT_EQ(forced.status().code(), Code::kInvalidArgument);
  }
}

TEST(CommandsTest, Shapes) {
  auto ms = std::chrono::milliseconds(1);
  EXPECT_EQ(MkfsCommand("ext4", "/dev/x", {"-m", "0"}, ms).ToString(), "mkfs.ext4 -m 0 /dev/x");
  EXPECT_EQ(MkfsCommand("xfs", "/dev/x", {}, ms).ToString(), "mkfs.xfs /dev/x");
  EXPECT_EQ(FsckCommand("/dev/x", ms).ToString(), "e2fsck -p /dev/x");
  EXPECT_EQ(GrowCommand("ext4", "/dev/x", "/mnt", ms)->ToString(), "resize2fs /dev/x");
  EXPECT_EQ(GrowCommand("xfs", "/dev/x", "/mnt", ms)->ToString(), "xfs_growfs -d /mnt");
  EXPECT_EQ(GrowCommand("btrfs", "/dev/x", "/mnt", ms).status().code(), Code::kFailedPrecondition);
}

TEST(PrepareFilesystemTest, FormatsOnlyABlankDevice) {
  FakeDeviceProbe prober;
  FakeExec exec;
  prober.SetBlank("/dev/x");
  exec.Expect("mkfs.xfs", std::vector<std::string>{"-m", "crc=1", "/dev/x"}, ExecResult{0, "", ""});
  auto prepared = PrepareFilesystem(prober, exec, "/dev/x", "xfs", false, {"-m", "crc=1"}, {});
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_TRUE(prepared->formatted);
  EXPECT_EQ(prepared->fs_type, "xfs");
  EXPECT_EQ(exec.pending(), 0u);
  EXPECT_EQ(prober.probed(), std::vector<std::string>{"/dev/x"});
}

TEST(PrepareFilesystemTest, ChecksAnExistingExt4BeforeReadWrite) {
  FakeDeviceProbe prober;
  FakeExec exec;
  prober.SetFilesystem("/dev/x", "ext4");
  exec.Expect("e2fsck", std::vector<std::string>{"-p", "/dev/x"}, ExecResult{1, "", "fixed"});
  auto prepared = PrepareFilesystem(prober, exec, "/dev/x", "ext4", false, {}, {});
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_FALSE(prepared->formatted);
  EXPECT_EQ(exec.call_lines(), (std::vector<std::string>{"e2fsck -p /dev/x"}));
}

TEST(PrepareFilesystemTest, ReadOnlyMountSkipsFsck) {
  FakeDeviceProbe prober;
  FakeExec exec;
  prober.SetFilesystem("/dev/x", "ext4");
  auto prepared = PrepareFilesystem(prober, exec, "/dev/x", "", true, {}, {});
  ASSERT_TRUE(prepared.ok());
  EXPECT_TRUE(exec.calls().empty());
}

TEST(PrepareFilesystemTest, NeverRunsMkfsOnAnySignature) {
  for (const auto& values : std::vector<std::map<std::string, std::string>>{
           {{"PTUUID", "1"}, {"PTTYPE", "dos"}},
           {{"TYPE", "swap"}, {"USAGE", "other"}},
           {{"TYPE", "crypto_LUKS"}, {"USAGE", "crypto"}}}) {
    FakeDeviceProbe prober;
    FakeExec exec;
    prober.Set("/dev/x", ClassifyProbeValues(values));
    auto prepared = PrepareFilesystem(prober, exec, "/dev/x", "ext4", false, {}, {});
    ASSERT_FALSE(prepared.ok());
    EXPECT_EQ(prepared.status().code(), Code::kFailedPrecondition);
    EXPECT_TRUE(exec.calls().empty()) << "nothing ran after the probe";
  }
  FakeDeviceProbe prober;
  FakeExec exec;
  ProbeResult ambivalent;
  ambivalent.kind = Kind::kAmbivalent;
  prober.Set("/dev/x", ambivalent);
  EXPECT_EQ(PrepareFilesystem(prober, exec, "/dev/x", "ext4", false, {}, {}).status().code(),
            Code::kFailedPrecondition);
  EXPECT_TRUE(exec.calls().empty());
}

TEST(PrepareFilesystemTest, UncorrectableFsckStopsTheStage) {
  FakeDeviceProbe prober;
  FakeExec exec;
  prober.SetFilesystem("/dev/x", "ext4");
  exec.Expect("e2fsck", 4, "", "errors left");
  auto prepared = PrepareFilesystem(prober, exec, "/dev/x", "ext4", false, {}, {});
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.status().code(), Code::kFailedPrecondition);
}

TEST(PrepareFilesystemTest, ProbeAndToolFailuresPropagate) {
  FakeDeviceProbe prober;
  FakeExec exec;
  prober.Set("/dev/x", Internal("cannot read /dev/x"));
  auto unreadable = PrepareFilesystem(prober, exec, "/dev/x", "ext4", false, {}, {});
  EXPECT_EQ(unreadable.status().code(), Code::kInternal);
  EXPECT_NE(unreadable.status().message().find("probing /dev/x"), std::string::npos);
  EXPECT_TRUE(exec.calls().empty());

  prober.SetBlank("/dev/x");
  exec.Expect("mkfs.ext4", 1, "", "mkfs.ext4: Device size reported to be zero.");
  auto failed = PrepareFilesystem(prober, exec, "/dev/x", "ext4", false, {}, {});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), Code::kInternal);
  EXPECT_NE(failed.status().message().find("Device size reported to be zero"), std::string::npos);
}

}  // namespace
}  // namespace lcsi::node
