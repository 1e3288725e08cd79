// The editor's buffers for the file tools (agent/tools/client_files.h):
// read_file, edit_file and write_file read through fs/read_text_file when
// the editor advertised fs.readTextFile at initialize, and edit_file and
// write_file hand the text they wrote to fs/write_text_file when it
// advertised fs.writeTextFile.
//
// ik still writes every file itself first, confined and checkpointed as
// always (agent/tools/client_edit.h); the editor's write only updates its
// buffer. Commands never go to the editor.
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
    EditorFiles(Loop& loop, Channel& channel, std::string session_id, bool reads, bool writes)
        : m_loop(loop)
        , m_channel(channel)
        , m_session_id(std::move(session_id))
        , m_reads(reads)
        , m_writes(writes)
    {
    }

    bool reads() const override { return m_reads; }
    bool writes() const override { return m_writes; }
    std::unique_ptr<agent::ToolRun> read_text(const std::filesystem::path& path, size_t max_bytes, Done done) override;
    std::unique_ptr<agent::ToolRun> write_text(
        const std::filesystem::path& path, std::string_view text, Written done) override;

private:
    Loop& m_loop;
    Channel& m_channel;
    std::string m_session_id;
    bool m_reads, m_writes;
};

} // namespace ik::app::acp
