// Reading the files that extend ik (custom commands, skills) the way file
// tools read: opened confined beneath the directory they belong to
// (tools/internal/confined.h), so a symlink out of it is refused, and capped.
//
// Owns nothing; returns the text (heap).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/loop.h"
#include "core/result.h"

namespace ik::agent {

// `path` (absolute) read beneath `beneath` (a real path; empty: anywhere).
// Errors, short enough to follow a file name: denied ("leads outside …"),
// cap_exceeded ("larger than the 64 KiB limit (70 KiB)"), not_found, io.
Result<std::string> read_extension_file(
    Loop& loop, const std::filesystem::path& beneath, const std::filesystem::path& path, size_t max_bytes);

// A value from such a file shown to the user or put in the system prompt:
// one line, control characters (an escape sequence) replaced by spaces, at
// most `max_bytes` (cut at a UTF-8 boundary).
std::string one_line(std::string_view text, size_t max_bytes = 200);

} // namespace ik::agent
