# linstor-csi-cpp: one image with both plugins, csictl and linstor-sim.
#   docker build -t linstor-csi-cpp:0.1.0 .
#   docker run --rm linstor-csi-cpp:0.1.0 linstor-csi-controller --help
#   docker run --rm linstor-csi-cpp:0.1.0 linstor-csi-node --help
# Everything comes from Debian 12 packages; test/deploy/check_dockerfile.py keeps the package
# lists in step with .ci/run and with the libraries the binaries link. scripts/image-check.sh
# builds the image and runs linstor-sim and both plugins from it through the quickstart.

# ---- build --------------------------------------------------------------------------------------
FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake \
      g++ \
      libblkid-dev \
      libgmock-dev \
      libgrpc++-dev \
      libgtest-dev \
      libprotobuf-dev \
      libsimdjson-dev \
      libspdlog-dev \
      libcpp-httplib-dev \
      libssl-dev \
      make \
      pkg-config \
      protobuf-compiler \
      protobuf-compiler-grpc \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DLCSI_BENCH=OFF \
 && cmake --build /build -j"$(nproc)" \
      --target linstor-csi-controller linstor-csi-node csictl linstor-sim \
 && mkdir -p /out \
 && for t in linstor-csi-controller linstor-csi-node csictl linstor-sim; do \
      cp "$(find /build -type f -name "$t" -perm -u+x | head -n1)" /out/; \
    done \
 && strip /out/*

# ---- runtime ------------------------------------------------------------------------------------
FROM debian:12-slim
ARG DEBIAN_FRONTEND=noninteractive
# Shared libraries of the binaries (libblkid probes devices in the node plugin), the filesystem
# tools the node plugin runs (mkfs, fsck, resize, mount), and CA certificates for HTTPS to LINSTOR.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      e2fsprogs \
      libblkid1 \
      libcpp-httplib0.11 \
      libgrpc++1.51 \
      libprotobuf32 \
      libsimdjson14 \
      libspdlog1.10 \
      libssl3 \
      mount \
      util-linux \
      xfsprogs \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /usr/local/bin/
LABEL org.opencontainers.image.title="linstor-csi-cpp" \
      org.opencontainers.image.description="CSI driver for LINSTOR/DRBD: linstor-csi-controller, linstor-csi-node, csictl"
# Run as the controller or the node plugin by command (see manifests/ and charts/):
#   command: ["linstor-csi-controller"]   or   command: ["linstor-csi-node"]
CMD ["linstor-csi-controller", "--help"]
