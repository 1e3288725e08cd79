// Small files of ik's own state: $XDG_STATE_HOME/ik/<name> (else
// $HOME/.local/state/ik/<name>), such as the learned context windows
// (llm/learned_models.h) and the MCP trust answers (mcp/trust_store.h).
//
// They are read whole, up to a cap (a state file is a few KiB; one grown
// past the cap is treated as absent rather than read without bound), and
// replaced atomically: written beside the target and renamed over it, so a
// crash or a second ik never leaves half a file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ik {

// Where ik's state file `name` lives (not created).
std::filesystem::path state_file_path(std::string_view name);

// The file's bytes; nullopt when it cannot be opened or is over `max_bytes`.
std::optional<std::string> read_state_file(const std::filesystem::path& path, size_t max_bytes);

// Creates the parent directories and replaces `path` with `text` atomically.
Result<void> replace_state_file(const std::filesystem::path& path, std::string_view text);

} // namespace ik
