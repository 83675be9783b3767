#!/usr/bin/env python3
"""Fails when an #include crosses a line that docs/architecture.md forbids.

Usage: check-includes.py SOURCE_DIR [PLUGIN_BINARY...]
       check-includes.py --self-test
Each room (top-level folder) may include only the rooms listed for it. Test code (files named
*_test.cc, *_fixture.h, test_*.h/.cc, *_test_util.*, or under a testing/ folder) may also include
the simulator and test/. Given plugin binaries, also fails when one of them carries simulator code
(symbols of namespace lcsi::sim).
"""
import os
import re
import subprocess
import sys
import tempfile

# room -> rooms its product code may include (itself included).
ALLOWED = {
    "base": {"base"},
    "csi": {"base", "csi"},
    "linstor": {"base", "linstor"},
    "linstor-sim": {"base", "linstor-sim"},
    "linstor-sim/testing": {"base", "linstor-sim", "linstor"},
    "controller": {"base", "csi", "linstor", "controller"},
    "nodeplugin": {"base", "csi", "linstor", "nodeplugin"},
    "tools": {"base", "csi", "tools"},
}
TEST_EXTRA = {"linstor-sim", "test"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def room_of(rel):
    if rel.startswith("linstor-sim/testing/"):
        return "linstor-sim/testing"
    return rel.split("/", 1)[0]


def is_test_code(rel):
    name = os.path.basename(rel)
    return ("/testing/" in rel or name.endswith("_test.cc") or name.endswith("_fixture.h")
            or name.startswith("test_") or "_test_util." in name or name.endswith("_test.h"))


def violations(source_dir):
    found = []
    for room in ALLOWED:
        top = os.path.join(source_dir, room)
        for dirpath, _, files in os.walk(top):
            for name in files:
                if not name.endswith((".cc", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, source_dir)
                own = room_of(rel)
                if own != room:
                    continue  # linstor-sim/testing is walked as its own room
                allowed = set(ALLOWED[own])
                if is_test_code(rel):
                    allowed |= TEST_EXTRA
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m or "/" not in m.group(1):
                            continue
                        target = m.group(1)
                        target_room = room_of(target)
                        if target_room == "linstor-sim/testing":
                            target_room = "linstor-sim"
                        if target_room not in allowed and target_room.split("/")[0] not in allowed:
                            found.append(f"{rel}:{number}: {own} must not include {target}")
    return found


def sim_code_in(binary):
    out = subprocess.run(["nm", "-C", binary], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if "lcsi::sim::" in line]


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        def write(rel, text):
            os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
            with open(os.path.join(tmp, rel), "w") as f:
                f.write(text)
        write("base/status.h", '#include "csi/server.h"\n')
        write("controller/create.cc", '#include "linstor-sim/sim_server.h"\n')
        write("controller/create_test.cc", '#include "linstor-sim/testing/in_process_sim.h"\n')
        write("linstor-sim/rules.cc", '#include "linstor/decode.h"\n')
        write("linstor-sim/testing/bridge.cc", '#include "linstor/transport.h"\n')
        found = violations(tmp)
    expected = ["base/status.h:1", "controller/create.cc:1", "linstor-sim/rules.cc:1"]
    got = sorted(v.split(": ")[0] for v in found)
    if got != expected:
        print(f"self-test: expected violations {expected}, got {got}")
        return 1
    print("self-test: the rules catch what they should")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) < 2:
        print(__doc__)
        return 2
    found = violations(argv[1])
    for binary in argv[2:]:
        symbols = sim_code_in(binary)
        if symbols:
            found.append(f"{binary} links simulator code, e.g. {symbols[0].strip()}")
    for v in found:
        print(v)
    print(f"{len(found)} boundary violation(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
