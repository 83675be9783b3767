#!/usr/bin/env python3
"""Static checks of the Dockerfile (no Docker engine needed).

1. Structure: a debian:12 build stage, a debian:12-slim runtime stage, the four binaries built and
   copied, no ENTRYPOINT (the command picks controller or node plugin), the filesystem tools.
2. Build packages: the Dockerfile's build stage installs the same compilers and -dev packages as
   .ci/run (when .ci/run exists), so the image builds with what CI builds with.
3. Runtime libraries: every shared library of the given binaries (ldd) belongs to a Debian package
   that the runtime stage installs, directly or through its dependencies (read from the local dpkg
   database, so this part runs only where the binaries were built on Debian).

Usage: check_dockerfile.py REPO [BINARY...]
Prints "FAIL ..." lines and exits 1 on a finding.
"""
import os
import re
import shlex
import subprocess
import sys

failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL {message}")


def apt_installs(text):
    """Package names of every `apt-get install` command in a shell fragment."""
    text = re.sub(r"\\\n", " ", text)
    packages = []
    for match in re.finditer(r"apt-get\s+(?:-\S+\s+)*install\s+([^&;|\n]*)", text):
        for word in shlex.split(match.group(1), comments=True):
            if word.startswith("-") or "$" in word:
                continue
            packages.append(word.split("=")[0])
    return packages


def package_arrays(text):
    """Words of bash arrays named packages=( ... ), as scripts/install-deps.sh uses."""
    words = []
    for match in re.finditer(r"packages=\(([^)]*)\)", text):
        for word in shlex.split(match.group(1), comments=True):
            words.append(word)
    return words


# Packages CI needs for its own tooling (caching, fuzzing, sanitizers), not to build the binaries.
CI_ONLY = {"ccache", "clang", "libclang-rt-14-dev", "build-essential"}


def stages(dockerfile):
    """[(from_line, body)] per stage."""
    parts = re.split(r"^FROM\s+", dockerfile, flags=re.M)
    return [(p.splitlines()[0], p) for p in parts[1:]]


BUILD_TOOLS = {"cmake", "g++", "pkg-config", "protobuf-compiler", "protobuf-compiler-grpc", "make"}


def is_build_dep(package):
    return package.endswith("-dev") or package in BUILD_TOOLS


def dpkg_status():
    """{package: set(dependency names)} of installed packages."""
    deps = {}
    try:
        text = open("/var/lib/dpkg/status", encoding="utf-8", errors="replace").read()
    except OSError:
        return None
    for block in text.split("\n\n"):
        fields = {}
        key = None
        for line in block.splitlines():
            if line.startswith(" ") and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        name = fields.get("Package")
        if not name or "installed" not in fields.get("Status", ""):
            continue
        names = set()
        for field in ("Depends", "Pre-Depends"):
            for alternative in fields.get(field, "").split(","):
                for option in alternative.split("|"):
                    option = option.strip().split(" ")[0].split(":")[0]
                    if option:
                        names.add(option)
        deps.setdefault(name, set()).update(names)
    return deps


def closure(roots, deps):
    seen = set()
    todo = list(roots)
    while todo:
        package = todo.pop()
        if package in seen:
            continue
        seen.add(package)
        todo.extend(deps.get(package, ()))
    return seen


_file_owners = None


def owning_package(path):
    """The installed package that ships path (from /var/lib/dpkg/info/*.list, read once)."""
    global _file_owners
    if _file_owners is None:
        _file_owners = {}
        info = "/var/lib/dpkg/info"
        for name in os.listdir(info) if os.path.isdir(info) else []:
            if not name.endswith(".list"):
                continue
            package = name[: -len(".list")].split(":")[0]
            with open(os.path.join(info, name), encoding="utf-8", errors="replace") as f:
                for line in f:
                    if ".so" in line:
                        _file_owners[line.rstrip("\n")] = package
    real = os.path.realpath(path)
    candidates = [path, real]
    # usrmerge: dpkg may know /lib/... while ldd prints /usr/lib/... or the other way round.
    for p in list(candidates):
        candidates.append(p[4:] if p.startswith("/usr/") else "/usr" + p)
    for candidate in candidates:
        if candidate in _file_owners:
            return _file_owners[candidate]
    return None


def shared_libraries(binary):
    result = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"ldd {binary}: {result.stderr.strip()}")
        return []
    libs = []
    for line in result.stdout.splitlines():
        m = re.search(r"=>\s+(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if m:
            libs.append(m.group(1))
    return libs


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    repo = sys.argv[1]
    binaries = sys.argv[2:]
    dockerfile = open(os.path.join(repo, "Dockerfile"), encoding="utf-8").read()

    # 1. structure
    all_stages = stages(dockerfile)
    if len(all_stages) != 2:
        fail(f"Dockerfile: expected 2 stages (build, runtime), found {len(all_stages)}")
        return 1
    (build_from, build), (runtime_from, runtime) = all_stages
    if not re.match(r"debian:12(\.\d+)?\s+AS\s+build", build_from, re.I):
        fail(f"Dockerfile: build stage must be 'debian:12 AS build', is '{build_from}'")
    if not runtime_from.startswith("debian:12-slim") and not runtime_from.startswith("debian:bookworm-slim"):
        fail(f"Dockerfile: runtime stage must be debian:12-slim, is '{runtime_from}'")
    for target in ("linstor-csi-controller", "linstor-csi-node", "csictl", "linstor-sim"):
        if target not in build:
            fail(f"Dockerfile: build stage does not build {target}")
    if "COPY --from=build" not in runtime:
        fail("Dockerfile: runtime stage does not copy the binaries from the build stage")
    if re.search(r"^ENTRYPOINT", runtime, re.M):
        fail("Dockerfile: no ENTRYPOINT: the pod's command chooses controller or node plugin")
    runtime_packages = set(apt_installs(runtime))
    for tool in ("e2fsprogs", "xfsprogs", "util-linux"):
        if tool not in runtime_packages:
            fail(f"Dockerfile: runtime stage lacks {tool}")
    leaked = sorted(p for p in runtime_packages if is_build_dep(p))
    if leaked:
        fail(f"Dockerfile: runtime stage installs build packages {leaked}")
    build_packages = {p for p in apt_installs(build) if is_build_dep(p)}

    # 2. build packages vs what CI installs (.ci/run and scripts/install-deps.sh)
    ci_text = ""
    for name in (os.path.join(".ci", "run"), os.path.join("scripts", "install-deps.sh")):
        path = os.path.join(repo, name)
        if os.path.exists(path):
            ci_text += open(path, encoding="utf-8").read() + "\n"
    if ci_text:
        ci_all = set(apt_installs(ci_text)) | set(package_arrays(ci_text))
        if "build-essential" in ci_all:
            ci_all |= {"g++", "make"}
        ci_packages = {p for p in ci_all if is_build_dep(p) and p not in CI_ONLY}
        image_packages = {p for p in build_packages if p not in CI_ONLY}
        missing = sorted(ci_packages - image_packages)
        extra = sorted(image_packages - ci_packages)
        if missing:
            fail(f"Dockerfile build stage lacks packages that CI installs: {missing}")
        if extra:
            fail(f"Dockerfile build stage installs packages that CI does not: {extra}")
        print(f"build packages: {len(image_packages)} in the Dockerfile, {len(ci_packages)} in CI")
    else:
        print("build packages: neither .ci/run nor scripts/install-deps.sh found, comparison skipped")

    # 3. runtime libraries of the binaries
    if binaries:
        deps = dpkg_status()
        if deps is None:
            print("runtime libraries: no dpkg database, check skipped")
        else:
            # debian:12-slim has every Priority: required package; these are the libraries of it.
            base = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}
            available = closure(runtime_packages | base, deps)
            for binary in binaries:
                reported = set()
                for lib in shared_libraries(binary):
                    package = owning_package(lib)
                    if package is None:
                        if "linux-vdso" not in lib and not lib.startswith(os.path.dirname(os.path.abspath(binary))):
                            fail(f"{os.path.basename(binary)}: {lib} belongs to no Debian package")
                        continue
                    if package not in available and package not in reported:
                        reported.add(package)
                        fail(f"{os.path.basename(binary)} needs {lib} from package {package}, "
                             "which the runtime stage does not install")
            print(f"runtime libraries: checked {len(binaries)} binaries")

    if failures:
        return 1
    print("Dockerfile checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
