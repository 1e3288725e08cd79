// Reading the files that extend ik (custom commands, skills) the way file
// tools read: opened confined beneath the directory they belong to
// (tools/internal/confined.h), so a symlink out of it is refused, and capped.
//
// Owns nothing; returns the text (heap).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/loop.h"
#include "core/result.h"

namespace ik::agent {

// `path` (absolute) read beneath `beneath` (a real path; empty: anywhere).
// Errors, short enough to follow a file name: denied ("leads outside …"),
// cap_exceeded ("larger than the 64 KiB limit (70 KiB)"), not_found, io.
Result<std::string> read_extension_file(
    Loop& loop, const std::filesystem::path& beneath, const std::filesystem::path& path, size_t max_bytes);

} // namespace ik::agent
