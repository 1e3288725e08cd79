#include "app/acp/acp_client_files.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "core/utf8.h"

namespace ik::app::acp {

namespace {

// One fs/read_text_file in flight. Destroyed: the answer is forgotten and
// `done` never runs; cancelled: `done` runs (from the loop) with an error.
class EditorRead final : public agent::ToolRun {
public:
    EditorRead(Loop& loop, Channel& channel)
        : m_loop(loop)
        , m_channel(channel)
    {
    }
    ~EditorRead() override
    {
        if (m_id)
            m_channel.forget(m_id);
        if (m_timer)
            m_loop.cancel(m_timer);
    }
    void start(std::string_view params, size_t max_bytes, agent::ClientFiles::Done done)
    {
        m_done = std::move(done);
        m_id = m_channel.request("fs/read_text_file", params, [this, max_bytes](const Result<const json::value*>& r) {
            m_id = 0;
            finish(text_of(r, max_bytes));
        });
    }
    void cancel() override
    {
        if (!m_id)
            return;
        m_channel.forget(m_id);
        m_id = 0;
        m_timer = m_loop.after(std::chrono::milliseconds(0), [this] {
            m_timer = 0;
            finish(fail(ErrorCode::interrupted, "read_file: cancelled"));
        });
    }

private:
    static Result<std::string> text_of(const Result<const json::value*>& r, size_t max_bytes)
    {
        if (!r)
            return fail(r.error());
        if (!*r)
            return fail(ErrorCode::provider, "fs/read_text_file: no result");
        std::string_view text = TRY(json::Field(**r)["content"].string());
        if (text.size() > max_bytes)
            return fail(ErrorCode::cap_exceeded, "fs/read_text_file: the editor's text is over the limit");
        return utf8::is_valid(text) ? std::string(text) : utf8::repaired(text);
    }
    void finish(Result<std::string> text)
    {
        if (auto done = std::move(m_done)) {
            m_done = nullptr;
            done(std::move(text));
        }
    }

    Loop& m_loop;
    Channel& m_channel;
    int64_t m_id = 0;
    Loop::TimerId m_timer = 0;
    agent::ClientFiles::Done m_done;
};

} // namespace

std::unique_ptr<agent::ToolRun> EditorFiles::read_text(const std::filesystem::path& path, size_t max_bytes, Done done)
{
    std::string p = path.string();
    std::string params = fmt::format(R"({{"sessionId":{},"path":{}}})",
        boost::json::serialize(boost::json::string_view(m_session_id.data(), m_session_id.size())),
        boost::json::serialize(boost::json::string_view(p.data(), p.size())));
    auto run = std::make_unique<EditorRead>(m_loop, m_channel);
    run->start(params, max_bytes, std::move(done));
    return run;
}

} // namespace ik::app::acp
