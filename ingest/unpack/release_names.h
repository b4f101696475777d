// Kernel release strings ("6.1.0-56-cloud-amd64") found in the places
// packages and images keep them: the Linux banner, a Debian package name,
// paths inside a package. Pure string functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kfuncdb::unpack {

// The release from the first "Linux version <release> " banner in `bytes`
// (linux_banner in vmlinux / an arm64 Image), or nullopt. Format strings
// ("Linux version %s") are skipped: a release starts with a digit.
std::optional<std::string> FindBannerRelease(std::string_view bytes);

// The release named by a Debian kernel package: "linux-image-<rel>",
// "linux-image-<rel>-unsigned", "linux-image-<rel>-dbg", "linux-binary-<rel>",
// "linux-modules-<rel>". Nullopt for other packages and for meta packages
// ("linux-image-amd64", whose remainder does not start with a digit).
std::optional<std::string> ReleaseFromPackageName(std::string_view package);

// The release named by a path inside a package or an unpacked tree:
// ".../lib/modules/<rel>/...", ".../boot/vmlinuz-<rel>", ".../boot/vmlinux-<rel>".
std::optional<std::string> ReleaseFromPath(std::string_view path);

// True when `s` looks like a kernel release: starts with a digit, has a dot,
// printable without spaces, at most 128 characters.
bool IsPlausibleRelease(std::string_view s);

}  // namespace kfuncdb::unpack
