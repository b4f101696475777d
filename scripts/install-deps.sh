#!/usr/bin/env bash
# Installs every Debian (bookworm) package kfuncdb needs to build, test and run.
# Safe to run again: apt-get skips what is already installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  # BTF and ELF reading
  libbpf-dev libelf-dev
  # store
  libsqlite3-dev sqlite3
  # API
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libabsl-dev libssl-dev
  # kernel packages, images and compressed streams
  libarchive-dev liblz4-dev libzstd-dev liblzma-dev zlib1g-dev libbz2-dev liblzo2-dev
  # command lines and output
  libcli11-dev libfmt-dev nlohmann-json3-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # tests that compile real BPF objects and pack real fixtures
  clang llvm lz4 zstd xz-utils bzip2 lzop gzip dpkg-dev openssl
  # libFuzzer and the sanitizer runtimes for clang (scripts/fuzz.sh)
  libclang-rt-14-dev
  # fixture tests check generated kernels with the real tools
  bpftool binutils
)

if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"
