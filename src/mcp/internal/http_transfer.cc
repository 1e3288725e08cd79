#include "mcp/internal/http_transfer.h"

#include <fmt/format.h>
#include <strings.h>

namespace ik::mcp::internal {

namespace {

constexpr size_t error_keep = 1024;
constexpr size_t max_session_id = 256;
constexpr size_t max_event_id = 256;

bool header_is(std::string_view line, std::string_view name)
{
    return line.size() > name.size() && line[name.size()] == ':'
        && strncasecmp(line.data(), name.data(), name.size()) == 0;
}

std::string_view trimmed(std::string_view v)
{
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    return v;
}

bool visible_ascii(std::string_view v)
{
    for (char c : v)
        if (c < 0x21 || c > 0x7E)
            return false;
    return true;
}

} // namespace

HttpTransfer::HttpTransfer(mem::Arena& parent, TransferKind kind, int64_t id, size_t limit, OnEvent on_event)
    : m_arena(parent, "mcp-http-transfer", { .cap = 0, .block_size = size_t{ 16 } << 10 })
    , m_kind(kind)
    , m_id(id)
    , m_limit(limit)
    , m_on_event(std::move(on_event))
    , m_in(&m_arena)
{
}

Result<void> HttpTransfer::setup(const std::string& url, std::string body, const std::vector<std::string>& headers)
{
    net::curl_global_once();
    m_easy.reset(curl_easy_init());
    if (!m_easy)
        return fail(ErrorCode::internal, "curl_easy_init failed");
    m_body = std::move(body);
    curl_slist* list = nullptr;
    auto add = [&list](const char* line) {
        if (curl_slist* next = curl_slist_append(list, line))
            list = next;
    };
    bool get = m_kind == TransferKind::stream || m_kind == TransferKind::resume;
    add(get ? "Accept: text/event-stream" : "Accept: application/json, text/event-stream");
    if (!get)
        add("Content-Type: application/json");
    add("Expect:");
    for (const std::string& h : headers)
        add(h.c_str());
    m_headers.reset(list);
    CURL* e = m_easy.get();
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, m_headers.get());
    if (!get) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, m_body.data());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(m_body.size()));
    }
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); // a redirected POST is not what the user configured
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "ik/0.1");
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, m_errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &HttpTransfer::on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &HttpTransfer::on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    if (m_kind == TransferKind::message && m_id == 0)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 30'000L); // a notification's answer is "202 Accepted"
    return {};
}

size_t HttpTransfer::on_header(char* data, size_t size, size_t count, void* self)
{
    return static_cast<HttpTransfer*>(self)->header(std::string_view(data, size * count));
}

size_t HttpTransfer::header(std::string_view line)
{
    if (m_dropped)
        return 0;
    if (line.starts_with("HTTP/")) { // a new response (after 100 Continue): forget the last
        m_event_stream = false;
        m_session.clear();
        return line.size();
    }
    if (header_is(line, "content-type")) {
        m_event_stream = trimmed(line.substr(13)).starts_with("text/event-stream");
    } else if (header_is(line, "mcp-session-id")) {
        std::string_view id = trimmed(line.substr(15));
        if (!id.empty() && id.size() <= max_session_id && visible_ascii(id))
            m_session = std::string(id);
    }
    return line.size();
}

size_t HttpTransfer::on_body(char* data, size_t size, size_t count, void* self)
{
    return static_cast<HttpTransfer*>(self)->take(std::string_view(data, size * count));
}

size_t HttpTransfer::take(std::string_view bytes)
{
    if (m_dropped || m_abort)
        return 0; // anything but bytes.size() aborts the transfer
    if (m_status == 0)
        curl_easy_getinfo(m_easy.get(), CURLINFO_RESPONSE_CODE, &m_status);
    if (m_status < 200 || m_status >= 300) {
        if (m_in.size() < error_keep)
            m_in.append(bytes.substr(0, error_keep - m_in.size()));
        return bytes.size();
    }
    if (!m_event_stream) {
        if (m_in.size() + bytes.size() > m_limit) {
            m_abort = Error::make(
                ErrorCode::cap_exceeded, "the server answered with a body over {} KiB; refused", m_limit >> 10);
            return 0;
        }
        m_in.append(bytes);
        return bytes.size();
    }
    if (!m_sse)
        m_sse.emplace(m_arena, net::SseParser::Limits{ .line_bytes = m_limit, .event_bytes = m_limit });
    auto fed = m_sse->feed(bytes, [this](const net::SseEvent& e) -> Result<void> {
        if (!m_dropped && (e.type.empty() || e.type == "message") && !e.data.empty())
            m_on_event(*this, e.data);
        return {};
    });
    if (!fed) {
        m_abort = Error::make(fed.error().code(), "the server's event stream: {}", fed.error().message());
        return 0;
    }
    return m_dropped ? 0 : bytes.size();
}

void HttpTransfer::finish_stream()
{
    if (!m_sse || m_dropped || m_abort)
        return;
    (void)m_sse->finish([this](const net::SseEvent& e) -> Result<void> {
        if ((e.type.empty() || e.type == "message") && !e.data.empty())
            m_on_event(*this, e.data);
        return {};
    });
}

std::string_view HttpTransfer::last_event_id() const
{
    // The id goes back to the server in a header: one that is not printable
    // ASCII, or is huge, is not sent, and the stream counts as one without
    // ids.
    std::string_view id = m_sse && !m_sse->last_event_id().empty() ? m_sse->last_event_id() : resumed_from;
    if (id.size() > max_event_id)
        return {};
    for (char c : id)
        if (c < 0x20 || c > 0x7E)
            return {};
    return id;
}

std::string HttpTransfer::error_excerpt() const
{
    std::string out;
    for (char c : std::string_view(m_in).substr(0, 200))
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace ik::mcp::internal
