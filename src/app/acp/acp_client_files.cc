#include "app/acp/acp_client_files.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "core/utf8.h"

namespace ik::app::acp {

namespace {

using Answer = std::function<void(Result<const json::value*> r)>;

// One fs/* request in flight. Destroyed: the answer is forgotten and
// `answer` never runs; cancelled: it runs (from the loop) with an error.
class EditorRequest final : public agent::ToolRun {
public:
    EditorRequest(Loop& loop, Channel& channel)
        : m_loop(loop)
        , m_channel(channel)
    {
    }
    ~EditorRequest() override
    {
        if (m_id)
            m_channel.forget(m_id);
        if (m_timer)
            m_loop.cancel(m_timer);
    }
    void start(std::string_view method, std::string_view params, Answer answer)
    {
        m_answer = std::move(answer);
        m_method = method;
        m_id = m_channel.request(method, params, [this](const Result<const json::value*>& r) {
            m_id = 0;
            finish(r);
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
            finish(fail(ErrorCode::interrupted, "{}: cancelled", m_method));
        });
    }

private:
    void finish(const Result<const json::value*>& r)
    {
        if (auto answer = std::move(m_answer)) {
            m_answer = nullptr;
            answer(r);
        }
    }

    Loop& m_loop;
    Channel& m_channel;
    int64_t m_id = 0;
    Loop::TimerId m_timer = 0;
    std::string m_method;
    Answer m_answer;
};

Result<std::string> text_of(const Result<const json::value*>& r, size_t max_bytes)
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

std::string json_string(std::string_view s)
{
    return boost::json::serialize(boost::json::string_view(s.data(), s.size()));
}

} // namespace

std::unique_ptr<agent::ToolRun> EditorFiles::read_text(const std::filesystem::path& path, size_t max_bytes, Done done)
{
    std::string params
        = fmt::format(R"({{"sessionId":{},"path":{}}})", json_string(m_session_id), json_string(path.string()));
    auto run = std::make_unique<EditorRequest>(m_loop, m_channel);
    run->start("fs/read_text_file", params,
        [max_bytes, done = std::move(done)](const Result<const json::value*>& r) { done(text_of(r, max_bytes)); });
    return run;
}

std::unique_ptr<agent::ToolRun> EditorFiles::write_text(
    const std::filesystem::path& path, std::string_view text, Written done)
{
    // The text ik wrote is valid UTF-8 only if the model's was; the JSON must
    // be valid whatever it is (the disk has the exact bytes).
    std::string valid = utf8::is_valid(text) ? std::string(text) : utf8::repaired(text);
    std::string params = fmt::format(R"({{"sessionId":{},"path":{},"content":{}}})", json_string(m_session_id),
        json_string(path.string()), json_string(valid));
    auto run = std::make_unique<EditorRequest>(m_loop, m_channel);
    run->start("fs/write_text_file", params, [done = std::move(done)](const Result<const json::value*>& r) {
        if (!r)
            return done(fail(r.error()));
        done({});
    });
    return run;
}

} // namespace ik::app::acp
