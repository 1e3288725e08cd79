// ClientFiles — file reads served by the front end instead of the disk.
//
// An editor driving ik (ACP's fs/read_text_file, app/acp/) holds buffers the
// user has not saved; read_file should see what the user sees. The front
// end installs a ClientFiles in the session settings, and read_file asks it
// for the text of a file it has already checked on disk exactly as always
// (the path resolved and confined beneath the project root, ik's private
// directories refused, size and binary limits): the checks stay in ik, only
// the bytes come from the editor. When the editor cannot answer, the disk's
// text is used.
//
// edit_file and write_file go through it too (client_edit.h): the edit is
// made on the text the editor holds, written to disk by ik (confined and
// checkpointed as always), then handed to the editor when it takes writes,
// so its buffer shows the new text instead of going stale.
//
// The read is asynchronous: `done` runs later from the loop, exactly once,
// unless the returned handle is destroyed first (then never); cancel() makes
// it run with an error.
//
// Borrowed by the session settings and the tool context; the front end owns
// it and keeps it alive as long as the session.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "agent/tools/tool.h"
#include "core/result.h"

namespace ik::agent {

class ClientFiles {
public:
    using Done = std::function<void(Result<std::string> text)>;
    using Written = std::function<void(Result<void> written)>;
    virtual ~ClientFiles() = default;
    // What the front end offers: reads, writes, or both.
    virtual bool reads() const = 0;
    virtual bool writes() const = 0;
    // `path` is absolute and already checked. The text is capped at `max_bytes`
    // (a longer answer is an error).
    virtual std::unique_ptr<ToolRun> read_text(const std::filesystem::path& path, size_t max_bytes, Done done) = 0;
    // `text` is what ik has just written to `path` (absolute, checked); the
    // same contract as read_text for `done`.
    virtual std::unique_ptr<ToolRun> write_text(const std::filesystem::path& path, std::string_view text, Written done)
        = 0;
};

} // namespace ik::agent
