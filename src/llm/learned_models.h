// Context windows ik learned at run time, kept across runs.
//
// When a provider rejects a request as too long and its error names the
// model's real window (context_error.h), ik records it here so the next run
// starts with the right number instead of hitting the error again. The file
// is small JSON, {"openai/x": {"context_window": 16000}, …}, at
// $XDG_STATE_HOME/ik/models.json (else ~/.local/state/ik/models.json),
// replaced atomically (write a temp file, rename) so a crash never leaves it
// half written. A missing or unreadable file is an empty map: learning is an
// optimisation, never a reason to fail.
//
// Owns: nothing beyond its return values.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/result.h"

namespace ik::llm {

using LearnedWindows = std::map<std::string, int64_t, std::less<>>;

// $XDG_STATE_HOME/ik/models.json, or $HOME/.local/state/ik/models.json.
std::string learned_models_path();

// Reads the file; {} when missing or malformed (entries with a non-positive
// or absurd window are skipped).
LearnedWindows load_learned(const std::string& path);

// Writes the whole map atomically, creating the directory.
Result<void> save_learned(const std::string& path, const LearnedWindows& windows);

} // namespace ik::llm
