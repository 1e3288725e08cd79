// The editor's buffers for read_file (agent/tools/client_files.h): each read
// is an fs/read_text_file request to the editor, offered only when it
// advertised fs.readTextFile at initialize.
//
// Writes are not sent to the editor (fs/write_text_file): ik writes files
// itself, confined and checkpointed as always, and the editor sees them
// change on disk. Commands never go to the editor either.
//
// Owns nothing but its pending requests' handles. Borrows the channel and
// the loop, which outlive it (the AcpSession owns it).
#pragma once

#include <string>

#include "agent/tools/client_files.h"
#include "app/acp/acp_channel.h"

namespace ik::app::acp {

class EditorFiles final : public agent::ClientFiles {
public:
    EditorFiles(Loop& loop, Channel& channel, std::string session_id)
        : m_loop(loop)
        , m_channel(channel)
        , m_session_id(std::move(session_id))
    {
    }

    std::unique_ptr<agent::ToolRun> read_text(const std::filesystem::path& path, size_t max_bytes, Done done) override;

private:
    Loop& m_loop;
    Channel& m_channel;
    std::string m_session_id;
};

} // namespace ik::app::acp
