// Opening files for the file tools without leaving where the approval said
// they may go.
//
// The approval decides on real paths (symlinks resolved, approval.cc); a
// command could swap a symlink in between that decision and the open. So a
// call allowed because its path is inside the project opens relative to the
// project root with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS): any
// `..` or symlink that leads out fails, whatever happened in between
// (ToolContext::beneath). Where the kernel has no openat2 (Linux < 5.6, or
// valgrind), each component is opened with O_NOFOLLOW instead, so a symlink
// that appeared after the path was resolved is refused.
//
// Independently of the approval, nothing inside ik's own configuration and
// data directories (credentials, config, the session store;
// ToolContext::private_dirs) is opened: the check is on the opened
// descriptor's real path (/proc/self/fd), so no link or alias reaches them.
//
// Owns nothing but the descriptors it returns.
#pragma once

#include <filesystem>
#include <span>
#include <string_view>

#include <sys/types.h>

#include "agent/tools/tool.h"
#include "core/result.h"
#include "core/unique_fd.h"

namespace ik::agent::internal {

// How a confined open resolves the path. `kernel` is openat2 when the
// kernel has it (else no_symlinks); tests force `no_symlinks`.
enum class Resolution { kernel, no_symlinks };

// Opens `path` (absolute) with `flags` (O_CLOEXEC is added) for `tool`.
// Fails with `denied` when the path leads outside ctx.beneath or into a
// private directory, else like open(2) (not_found for ENOENT, io otherwise).
Result<UniqueFd> open_confined(const ToolContext& ctx, std::string_view tool, const std::filesystem::path& path,
    int flags, mode_t mode = 0, Resolution resolution = Resolution::kernel);

// Creates the missing parent directories of `path`, each one confined the
// same way (a directory is made with mkdirat in its already-opened parent,
// which never follows a link).
Result<void> create_parents_confined(const ToolContext& ctx, std::string_view tool, const std::filesystem::path& path);

// For the tools that walk a tree: the real path of directory `path`, opened
// and checked like open_confined. Fails with invalid_argument when it is not
// a directory.
Result<std::filesystem::path> confined_directory(
    const ToolContext& ctx, std::string_view tool, std::string_view raw, const std::filesystem::path& path);

// Is `real` (a real, absolute path) one of `dirs` or inside one?
bool in_any(std::span<const std::filesystem::path> dirs, const std::filesystem::path& real);

} // namespace ik::agent::internal
