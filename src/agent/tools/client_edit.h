// An edit of one file through an editor's buffers (client_files.h), shared
// by edit_file and write_file.
//
//   1. the file's text: the editor's buffer when it offers reads and
//      `read_buffer` is set, else (or when it cannot say) the disk's text the
//      tool has already read and checked;
//   2. `make` turns that text into the new text and the tool's result (an
//      error ends the call there, nothing written);
//   3. the new text is written to disk by ik, confined exactly like the
//      synchronous tools (internal/files.h), so the sandbox's write rules,
//      the turn's checkpoint and undo see it as always;
//   4. when the editor offers writes, the new text goes to it too, so its
//      buffer shows it; a refusal there is a line in the result, not an
//      error (the file is written).
//
// The result is delivered from the loop, exactly once, unless the handle is
// destroyed first; cancel() before the write ends the call as cancelled with
// nothing written. Owns copies of the context, the path and the disk's text;
// borrows the loop and the ClientFiles, which outlive the turn.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent/tools/tool.h"
#include "core/result.h"

namespace ik::agent::internal {

struct ClientEdit {
    std::string after; // the file's new text
    ToolResult result; // what the tool reports once it is written
};

using MakeEdit = std::function<Result<ClientEdit>(std::string_view before)>;

// ctx.client_files is set. `full` is absolute and already checked on disk
// by the caller; `max_bytes` caps the buffer's text.
std::unique_ptr<ToolRun> edit_through_client(const ToolContext& ctx, std::string_view tool, std::filesystem::path full,
    std::string disk, bool read_buffer, size_t max_bytes, MakeEdit make, Completion done);

} // namespace ik::agent::internal
