// File helpers shared by the file tools: resolving the model's paths against
// the session directory, reading and writing confined (confined.h) with a
// cap, telling text from binary, and making text safe to hand to a provider
// (valid UTF-8).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "agent/tools/tool.h"
#include "core/json.h"
#include "core/result.h"

namespace ik::agent::internal {

// `raw` relative to `cwd` (or absolute), lexically normalised. Empty `raw`
// is the cwd itself.
std::filesystem::path resolve_path(const std::filesystem::path& cwd, std::string_view raw);

// How to show `path` to the model: relative to cwd when under it, else absolute.
std::string display_path(const std::filesystem::path& cwd, const std::filesystem::path& path);

// Reads a whole regular file, `raw` resolved against ctx.cwd and opened
// confined (confined.h). Fails with not_found ("no such file"),
// invalid_argument (a directory), cap_exceeded (larger than `max_bytes`) or
// denied (outside ctx.beneath, or ik's own files). `tool` prefixes the
// messages.
Result<std::string> read_text_file(
    std::string_view tool, const ToolContext& ctx, std::string_view raw, size_t max_bytes);

// The offset of a NUL byte in the first 8 KiB, which is how git and grep tell
// binary files from text; nullopt for text.
std::optional<size_t> binary_offset(std::string_view data);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD, so a cut
// mid-character or a stray Latin-1 byte cannot break the provider's JSON.
std::string sanitize_utf8(std::string_view text);

// Number of lines, counting a last line without a newline.
size_t count_lines(std::string_view text);

// Writes `content` to `path`, creating parent directories, both confined.
Result<void> write_file(
    std::string_view tool, const ToolContext& ctx, const std::filesystem::path& path, std::string_view content);

// The preview of a tool that touches one path, its "path" argument (default
// the working directory): what approval judges reads and edits by.
Result<ToolPreview> path_preview(std::string_view tool, ToolContext& ctx, const json::value& args);

// "1.2 KiB"
std::string human_bytes(size_t bytes);

} // namespace ik::agent::internal
