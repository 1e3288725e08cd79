#include "agent/tools/client_edit.h"

#include <utility>

#include <fmt/format.h>

#include "agent/tools/client_files.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/files.h"

namespace ik::agent::internal {

namespace {

// Each step keeps its own handle: a step's handle is never destroyed from
// inside its own callback.
class ClientEditRun final : public ToolRun {
public:
    ClientEditRun(ToolContext ctx, std::string_view tool, std::filesystem::path full, std::string disk, MakeEdit make,
        Completion done)
        : m_ctx(std::move(ctx))
        , m_tool(tool)
        , m_full(std::move(full))
        , m_disk(std::move(disk))
        , m_make(std::move(make))
        , m_done(std::move(done))
    {
    }

    void start(bool read_buffer, size_t max_bytes)
    {
        if (!read_buffer || !m_ctx.client_files->reads()) {
            edit(m_disk);
            return;
        }
        m_read = m_ctx.client_files->read_text(m_full, max_bytes, [this](Result<std::string> text) {
            // The editor could not say (no such buffer, an error): the disk's
            // text, which the tool read and checked, stands in.
            edit(text ? *text : m_disk);
        });
    }

    void cancel() override
    {
        if (m_written) {
            // On disk already: the editor's answer (or its cancellation)
            // ends the call with the file written.
            if (m_write)
                m_write->cancel();
            return;
        }
        m_cancelled = true;
        if (m_read)
            m_read->cancel(); // its callback comes, and sees m_cancelled
        else
            finish(cancelled());
    }

private:
    ToolResult cancelled() const
    {
        ToolResult r = ToolResult::error(fmt::format("{}: cancelled by the user", m_tool), "cancelled");
        r.state = ToolState::cancelled;
        return r;
    }

    void edit(std::string_view before)
    {
        if (m_cancelled)
            return finish(cancelled());
        auto made = m_make(before);
        if (!made)
            return finish(ToolResult::from(made.error()));
        if (auto w = write_file(m_tool, m_ctx, m_full, made->after); !w)
            return finish(ToolResult::from(w.error()));
        m_written = true;
        if (!m_ctx.client_files->writes())
            return finish(std::move(made->result));
        m_result = std::move(made->result);
        m_write = m_ctx.client_files->write_text(m_full, made->after, [this](Result<void> r) {
            if (!r)
                m_result.content
                    += fmt::format("\n(written to disk; the editor's buffer was not updated: {})", r.error().message());
            finish(std::move(m_result));
        });
    }

    // From the loop, once, whichever step ends the call.
    void finish(ToolResult result)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_deliver = deliver_later(m_ctx.loop, std::move(result), std::move(m_done));
    }

    ToolContext m_ctx; // a copy: the turn sets `beneath` per call
    std::string m_tool;
    std::filesystem::path m_full;
    std::string m_disk;
    MakeEdit m_make;
    Completion m_done;
    ToolResult m_result;
    std::unique_ptr<ToolRun> m_read, m_write, m_deliver;
    bool m_cancelled = false, m_written = false, m_finished = false;
};

} // namespace

std::unique_ptr<ToolRun> edit_through_client(const ToolContext& ctx, std::string_view tool, std::filesystem::path full,
    std::string disk, bool read_buffer, size_t max_bytes, MakeEdit make, Completion done)
{
    auto run = std::make_unique<ClientEditRun>(
        ctx, tool, std::move(full), std::move(disk), std::move(make), std::move(done));
    run->start(read_buffer, max_bytes);
    return run;
}

} // namespace ik::agent::internal
