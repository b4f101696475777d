#!/usr/bin/env bash
# Writes the fuzz targets' seed corpora under OUT/<target>/, cut at run time
# from the shared corpus (heads of real bzImages and of the arm64 Image, real
# modules and their .BTF_ids) and from the fixture generator (small vmlinux
# and modules, raw BTF, every codec, a .deb), so that nothing large is
# committed. Corpus files that are absent are skipped with a message.
# Usage: fuzz/make-seeds.sh OUT FIXTURE_GEN_BINARY [CORPUS_DIR]
set -euo pipefail
out=$1 gen=$2
corpus=${3:-${KFUNCDB_CORPUS:-$(cd "$(dirname "$0")/.." && pwd)/../shared/corpus}}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in elf_image extract_raw_btf extract_elf_vmlinux btf_ids_scan bzimage arm64_image \
         decompress deb_package bpf_object; do
  mkdir -p "$out/$t"
done

# Fixtures: a small vmlinux with and without symbols, its raw BTF, a module.
"$gen" vmlinux --out "$work/vmlinux" --raw-btf "$work/vmlinux.btf" --release 6.12.0-fuzz --fillers 4
"$gen" vmlinux --out "$work/vmlinux-stripped" --no-symbols --no-decl-tags --release 6.1.0-fuzz --fillers 4
"$gen" module --out "$work/mod.ko" --base-btf "$work/vmlinux.btf" --name fuzz_mod --release 6.12.0-fuzz
objcopy -O binary --only-section=.BTF_ids "$work/vmlinux" "$work/vmlinux.btf_ids"
for f in vmlinux vmlinux-stripped mod.ko; do
  cp "$work/$f" "$out/elf_image/$f"
  cp "$work/$f" "$out/extract_elf_vmlinux/$f"
done
cp "$work/vmlinux.btf" "$out/extract_raw_btf/fixture.btf"
cp "$work/vmlinux.btf_ids" "$out/btf_ids_scan/fixture.btf_ids"

# Every codec over the raw BTF.
gzip -9 -c "$work/vmlinux.btf" > "$out/decompress/btf.gz"
xz -c "$work/vmlinux.btf" > "$out/decompress/btf.xz"
lzma -c "$work/vmlinux.btf" > "$out/decompress/btf.lzma"
bzip2 -c "$work/vmlinux.btf" > "$out/decompress/btf.bz2"
lz4 -q -l -c "$work/vmlinux.btf" > "$out/decompress/btf.lz4-legacy"
lz4 -q -c "$work/vmlinux.btf" > "$out/decompress/btf.lz4"
lzop -c "$work/vmlinux.btf" > "$out/decompress/btf.lzo"
zstd -q -c "$work/vmlinux.btf" > "$out/decompress/btf.zst"

# A .deb with the fixture kernel and module, in two compressions.
pkg=$work/pkg/linux-image-6.12.0-fuzz
mkdir -p "$pkg/DEBIAN" "$pkg/boot" "$pkg/lib/modules/6.12.0-fuzz/kernel"
printf 'Package: linux-image-6.12.0-fuzz\nVersion: 6.12.1-1\nArchitecture: amd64\nMaintainer: fuzz <fuzz@example.org>\nDescription: fuzz seed\n' \
  > "$pkg/DEBIAN/control"
cp "$work/vmlinux" "$pkg/boot/vmlinuz-6.12.0-fuzz"
xz -c "$work/mod.ko" > "$pkg/lib/modules/6.12.0-fuzz/kernel/fuzz_mod.ko.xz"
for z in gzip xz; do
  dpkg-deb -Z"$z" --root-owner-group -b "$pkg" "$out/deb_package/fixture-$z.deb" > /dev/null
done

# BPF objects as kfuncdb check reads them (the client tests' programs).
for prog in task_acquire unknown_kfunc no_kfuncs; do
  clang -target bpf -O2 -g -c "$src/tests/client/bpf/$prog.bpf.c" -o "$out/bpf_object/$prog.bpf.o"
done

# The shared corpus: real boot images and modules, cut small.
deb_member() {  # package, member glob, destination
  dpkg-deb --fsys-tarfile "$1" | tar -x -O --wildcards "$2" > "$3" 2> /dev/null
}
bzimage_seeds() {  # package, name
  local deb=$corpus/$1
  if [[ ! -f $deb ]]; then echo "make-seeds: $deb absent, skipped" >&2; return; fi
  deb_member "$deb" '*boot/vmlinuz-*' "$work/$2.vmlinuz"
  head -c 65536 "$work/$2.vmlinuz" > "$out/bzimage/$2-head"
  # The real setup code, then a small fixture payload per codec: the
  # header's payload fields point elsewhere, so the magic search finds it.
  local setup_sects
  setup_sects=$(od -An -tu1 -j 497 -N 1 "$work/$2.vmlinuz" | tr -d ' ')
  ((setup_sects == 0)) && setup_sects=4
  head -c $(((setup_sects + 1) * 512)) "$work/$2.vmlinuz" > "$work/$2.setup"
  for codec in "gzip -c" "xz -c" "zstd -q -c" "lz4 -q -l -c"; do
    { cat "$work/$2.setup"; $codec "$work/vmlinux-stripped"; } > "$out/bzimage/$2-${codec%% *}"
  done
}
bzimage_seeds linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb 6.1
bzimage_seeds linux-image-6.12.118+deb13-cloud-amd64_6.12.118-1_amd64.deb 6.12

arm64=$corpus/linux-image-6.1.0-56-cloud-arm64_6.1.192-2_arm64.deb
if [[ -f $arm64 ]]; then
  deb_member "$arm64" '*boot/vmlinuz-*' "$work/arm64.Image"
  # The Image header, then .BTF and .BTF_ids as the linker lays them out.
  { head -c 4096 "$work/arm64.Image"; cat "$work/vmlinux.btf" "$work/vmlinux.btf_ids"
    head -c 4096 /dev/zero; } > "$out/arm64_image/6.1-head-fixture-btf"
else
  echo "make-seeds: $arm64 absent, skipped" >&2
fi

# Real modules (6.1: plain .ko; 6.12: .ko.xz) and their .BTF_ids.
module_seeds() {  # package, module glob, name
  local deb=$corpus/$1
  [[ -f $deb ]] || { echo "make-seeds: $deb absent, skipped" >&2; return; }
  deb_member "$deb" "$2" "$work/$3.raw"
  if [[ $2 == *.xz ]]; then
    cp "$work/$3.raw" "$out/decompress/$3.ko.xz"
    xz -d -c "$work/$3.raw" > "$work/$3.ko"
  else
    cp "$work/$3.raw" "$work/$3.ko"
  fi
  cp "$work/$3.ko" "$out/elf_image/$3.ko"
  objcopy -O binary --only-section=.BTF_ids "$work/$3.ko" "$out/btf_ids_scan/$3.btf_ids"
  objcopy -O binary --only-section=.BTF "$work/$3.ko" "$work/$3.btf"
}
module_seeds linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb '*/tcp_bbr.ko' 6.1-tcp_bbr
module_seeds linux-image-6.12.118+deb13-cloud-amd64_6.12.118-1_amd64.deb '*/tcp_dctcp.ko.xz' 6.12-tcp_dctcp

# Any input kept as a regression is a seed too.
for dir in "$src"/fuzz/regressions/*/; do
  [[ -d $dir ]] && cp -n "$dir"* "$out/$(basename "$dir")/" 2> /dev/null || true
done
du -sh "$out"/* >&2
