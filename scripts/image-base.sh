#!/usr/bin/env bash
# Makes the Dockerfile's base images, debian:12 and debian:12-slim, from Debian's package archive
# with debootstrap, for a Docker engine that can reach no image registry (run as root).
# debian:12-slim drops documentation, man pages and translations the way Debian's official slim
# image does, so image sizes measured on top of it are comparable.
#   DEBIAN_MIRROR (default http://deb.debian.org/debian), DEBIAN_SECURITY_MIRROR
set -euo pipefail
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
command -v debootstrap >/dev/null || {
  echo "image-base: needs debootstrap (apt-get install debootstrap)" >&2
  exit 1
}
tmp=$(mktemp -d /tmp/lcsi-rootfs-XXXXXX)
cleanup() {
  # debootstrap mounts proc and sys inside the root: unmount them before removing anything.
  grep -o " $tmp/[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
root=$tmp/rootfs

echo "image-base: debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$tmp/debootstrap.log" 2>&1 || {
  tail -20 "$tmp/debootstrap.log" >&2
  exit 1
}

# The same apt sources as the official image: bookworm, its updates and security.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# Containers keep no package caches or indexes.
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*
rm -rf "$root"/var/log/* "$root"/tmp/* "$root"/dev/*

import() { tar -C "$root" --numeric-owner -c . | docker import - "$1" >/dev/null; }
import debian:12
echo "image-base: debian:12 $(docker image inspect -f '{{.Size}}' debian:12) bytes"

# Slim: no docs (except copyright files), man/info pages or translations, now or later.
cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root"/usr/share/{man,groff,info,lintian,linda,locale}/*
import debian:12-slim
echo "image-base: debian:12-slim $(docker image inspect -f '{{.Size}}' debian:12-slim) bytes"
