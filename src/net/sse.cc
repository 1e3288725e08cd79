#include "net/sse.h"

#include <cstring>

namespace ik::net {

namespace {
constexpr std::string_view bom = "\xEF\xBB\xBF";
constexpr size_t max_stray = size_t{ 64 } * 1024;
// A data line at least this long that was assembled in m_line is moved into
// m_data by swapping the buffers instead of copying it (far above any
// small-string buffer, so the swap really exchanges heap blocks).
constexpr size_t swap_threshold = 4096;

Error too_long(std::string_view what, size_t cap)
{
    return Error::make(ErrorCode::cap_exceeded,
        "the provider sent an SSE {} longer than {} KiB ({}); the reply was cut there", what, cap / 1024,
        what == "line" ? "limits.sse_line_kb" : "limits.sse_event_kb");
}
} // namespace

SseParser::SseParser(mem::Arena& arena, size_t reserve)
    : SseParser(arena, Limits{}, reserve)
{
}

SseParser::SseParser(mem::Arena& arena, Limits limits, size_t reserve)
    : m_line(&arena)
    , m_data(&arena)
    , m_type(&arena)
    , m_id(&arena)
    , m_stray(&arena)
    , m_limits(limits)
{
    m_line.reserve(reserve);
    m_data.reserve(reserve);
    m_type.reserve(64);
    m_id.reserve(64);
}

void SseParser::reset()
{
    m_line.clear();
    m_data.clear();
    m_type.clear();
    m_id.clear();
    m_stray.clear();
    m_events = 0;
    m_retry_ms = -1;
    m_has_data = false;
    m_after_cr = false;
    m_first_line = true;
}

Result<void> SseParser::feed(std::string_view bytes, Callback callback, void* context)
{
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    if (m_after_cr && p != end) {
        m_after_cr = false;
        if (*p == '\n')
            ++p;
    }
    while (p != end) {
        // Find the next CR or LF: memchr for LF (the common terminator) and
        // a bounded scan for CR keep this fast on long data lines.
        const char* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        const char* stop = lf ? lf : end;
        const char* cr = static_cast<const char*>(std::memchr(p, '\r', static_cast<size_t>(stop - p)));
        const char* eol = cr ? cr : lf;
        if (!eol)
            return append_line(std::string_view(p, static_cast<size_t>(end - p)));
        std::string_view text(p, static_cast<size_t>(eol - p));
        if (!m_line.empty()) {
            TRY(append_line(text));
            text = m_line;
        } else if (text.size() > m_limits.line_bytes) {
            return fail(too_long("line", m_limits.line_bytes));
        }
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end)
                m_after_cr = true;
            else if (*p == '\n')
                ++p;
        }
        auto r = line(text, callback, context);
        m_line.clear();
        TRY(r);
    }
    return {};
}

Result<void> SseParser::append_line(std::string_view bytes)
{
    if (m_line.size() + bytes.size() > m_limits.line_bytes) {
        m_line.clear();
        return fail(too_long("line", m_limits.line_bytes));
    }
    m_line.append(bytes);
    return {};
}

void SseParser::keep_stray(std::string_view text)
{
    if (m_stray.size() >= max_stray)
        return;
    m_stray.append(text.substr(0, max_stray - m_stray.size()));
    m_stray.push_back('\n');
}

Result<void> SseParser::finish(Callback callback, void* context)
{
    m_after_cr = false;
    if (!m_line.empty()) {
        auto r = line(m_line, callback, context);
        m_line.clear();
        TRY(r);
    }
    return dispatch(callback, context);
}

Result<void> SseParser::line(std::string_view text, Callback callback, void* context)
{
    if (m_first_line) {
        m_first_line = false;
        if (text.starts_with(bom))
            text.remove_prefix(bom.size());
    }
    if (text.empty())
        return dispatch(callback, context);
    if (text.front() == ':')
        return {};
    std::string_view name = text;
    std::string_view value;
    if (size_t colon = text.find(':'); colon != std::string_view::npos) {
        name = text.substr(0, colon);
        value = text.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
    }
    if (name == "data") {
        if (m_data.size() + value.size() + 1 > m_limits.event_bytes) {
            m_data.clear();
            m_has_data = false;
            return fail(too_long("event", m_limits.event_bytes));
        }
        bool in_line = !m_line.empty() && value.data() >= m_line.data() && value.data() < m_line.data() + m_line.size();
        if (!m_has_data && in_line && value.size() >= swap_threshold) {
            // A long line assembled across chunks: take its buffer rather
            // than copying it. The caller clears m_line (now the old data
            // buffer) after this returns.
            auto offset = static_cast<size_t>(value.data() - m_line.data());
            m_data.swap(m_line);
            m_data.erase(0, offset);
        } else {
            if (m_has_data)
                m_data.push_back('\n');
            m_data.append(value);
        }
        m_has_data = true;
    } else if (name == "event") {
        m_type.assign(value);
    } else if (name == "id") {
        if (value.find('\0') == std::string_view::npos)
            m_id.assign(value);
    } else if (name == "retry") {
        if (!value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos && value.size() < 16) {
            int64_t ms = 0;
            for (char c : value)
                ms = ms * 10 + (c - '0');
            m_retry_ms = ms;
        }
    } else {
        keep_stray(text);
    }
    return {};
}

Result<void> SseParser::dispatch(Callback callback, void* context)
{
    if (!m_has_data) {
        m_type.clear();
        return {};
    }
    SseEvent event{
        .type = m_type.empty() ? std::string_view("message") : std::string_view(m_type), .data = m_data, .id = m_id
    };
    ++m_events;
    auto r = callback(context, event);
    m_data.clear();
    m_type.clear();
    m_has_data = false;
    return r;
}

} // namespace ik::net
