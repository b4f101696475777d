// Options of an extraction run: the command line's overrides and the
// positions of the stable-kfuncs proposal's flag bits.
#pragma once

#include <string>

#include "common/kfunc_flags.h"

namespace kfuncdb::extract {

struct ExtractOptions {
  // --release: the full kernel release ("6.18.44"); wins over the banner and
  // the unpacker's hint. Required when the input cannot tell (raw BTF).
  std::string release_override;
  // --arch: Debian architecture name ("amd64"); wins over what the ELF says.
  std::string arch_override;
  // KF_STABLE / KF_DEPRECATED bit positions (defaults 30 and 31).
  KfuncFlagPositions flag_positions;
};

}  // namespace kfuncdb::extract
