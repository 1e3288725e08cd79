#include "mcp/http_connection.h"

#include <algorithm>

#include <fmt/format.h>

#include "mcp/http_headers.h"

namespace ik::mcp {

namespace {

using namespace std::chrono_literals;

constexpr int max_resumptions = 3;
constexpr int64_t default_retry_ms = 100;
constexpr int64_t max_retry_ms = 3000;

size_t discard(char*, size_t size, size_t count, void*)
{
    return size * count;
}

bool is_version(std::string_view v)
{
    if (v.empty() || v.size() > 32)
        return false;
    for (char c : v)
        if (!((c >= '0' && c <= '9') || c == '-'))
            return false;
    return true;
}

} // namespace

HttpConnection::HttpConnection(
    Loop& loop, mem::Arena& parent, const config::McpServerConfig& server, Events events, ConnectionLimits limits)
    : Connection(loop, parent, "mcp-http", {}, std::move(events), limits)
    , m_multi(loop)
    , m_url(server.url)
    , m_shown_url(redacted_url(server.url))
{
}

Result<std::unique_ptr<Connection>> HttpConnection::start(
    Loop& loop, mem::Arena& parent, const config::McpServerConfig& server, Events events, ConnectionLimits limits)
{
    auto headers = expand_headers(server.headers, process_getenv);
    if (!headers)
        return fail(ErrorCode::config, "{}: {}", redacted_url(server.url), headers.error().message());
    std::unique_ptr<HttpConnection> c(new HttpConnection(loop, parent, server, std::move(events), limits)); // NOLINT
    c->m_user_headers = std::move(*headers);
    return std::unique_ptr<Connection>(std::move(c));
}

HttpConnection::~HttpConnection()
{
    if (m_kick)
        m_loop.cancel(m_kick);
    for (auto& t : m_transfers) {
        if (t->added)
            m_multi.remove(t->easy());
        if (t->wake)
            m_loop.cancel(t->wake);
    }
    m_transfers.clear();
    delete_session();
}

std::vector<std::string> HttpConnection::headers() const
{
    std::vector<std::string> out = m_user_headers;
    if (!m_session.empty())
        out.push_back("Mcp-Session-Id: " + m_session);
    if (!m_protocol_version.empty())
        out.push_back("MCP-Protocol-Version: " + m_protocol_version);
    return out;
}

Result<void> HttpConnection::send(std::string message, int64_t id, std::string_view method)
{
    if (method == "initialize") {
        m_init_id = id;
        m_init_message = message;
    }
    TRY(post(Kind::message, std::move(message), id, false));
    if (method == "notifications/initialized")
        open_stream();
    return {};
}

std::unique_ptr<HttpConnection::Transfer> HttpConnection::make_transfer(Kind kind, int64_t id)
{
    // Events arrive while curl delivers the body; on_message() only parses
    // and dispatches, and whatever it sends is added to the multi handle
    // later (schedule()), never from inside a curl callback.
    return std::make_unique<Transfer>(
        m_arena, kind, id, m_limits.line_bytes, [this](const Transfer& from, std::string_view data) {
            adopt_session(from);
            on_message(data);
        });
}

Result<void> HttpConnection::post(Kind kind, std::string message, int64_t id, bool retried)
{
    auto t = make_transfer(kind, id);
    t->retried = retried;
    t->sent_session = !m_session.empty();
    TRY(t->setup(m_url, std::move(message), headers()));
    m_transfers.push_back(std::move(t));
    schedule();
    return {};
}

void HttpConnection::open_stream()
{
    if (m_stream_open)
        return;
    m_stream_open = post(Kind::stream, {}, 0, false).has_value();
}

void HttpConnection::schedule()
{
    if (!m_kick)
        m_kick = m_loop.after(0ms, [this] {
            m_kick = 0;
            run_scheduled();
        });
}

void HttpConnection::run_scheduled()
{
    for (size_t i = 0; i < m_transfers.size();) {
        Transfer* t = m_transfers[i].get();
        if (t->dropped()) {
            if (t->added)
                m_multi.remove(t->easy());
            if (t->wake)
                m_loop.cancel(t->wake);
            m_transfers.erase(m_transfers.begin() + static_cast<long>(i));
            continue;
        }
        if (!t->added && !t->held) {
            t->added = true;
            m_multi.add(t->easy(), [this, t](CURLcode rc) { done(*t, rc); });
        }
        ++i;
    }
}

void HttpConnection::adopt_session(const Transfer& t)
{
    if (m_init_id != 0 && t.id() == m_init_id && !t.session_id().empty())
        m_session = std::string(t.session_id());
}

void HttpConnection::on_result(int64_t id, const json::value& result)
{
    if (id != m_init_id)
        return;
    std::string_view version = json::Field(result)["protocolVersion"].string_or("");
    if (is_version(version))
        m_protocol_version = std::string(version);
    if (m_reinitializing)
        m_reinit_ok = true;
}

void HttpConnection::done(Transfer& t, CURLcode rc)
{
    t.added = false; // the multi handle let go of it
    bool given_up = t.dropped(); // its request already failed (timeout, cancel)
    t.drop(); // reaped from the loop, after this callback
    schedule();
    if (given_up)
        return;
    long status = 0;
    curl_easy_getinfo(t.easy(), CURLINFO_RESPONSE_CODE, &status);
    if (t.kind() == Kind::stream) {
        // 405: the server sends nothing on its own. A stream that carried
        // ids is resumed once; any other end: not reopened.
        if (rc == CURLE_OK && status >= 200 && status < 300)
            t.finish_stream();
        m_stream_open = !t.aborted() && resume(t, status);
        return;
    }
    Error why = Error::make(ErrorCode::network, "");
    if (rc != CURLE_OK) {
        if (!t.aborted() && resume(t, status))
            return; // broken mid-stream: the rest is asked for again
        why = t.aborted() ? Error::make(t.aborted()->code(), "{}: {}", m_shown_url, t.aborted()->message())
                          : failure(t.curl_error()[0] ? t.curl_error() : curl_easy_strerror(rc));
    } else if (status == 404 && t.sent_session && t.kind() == Kind::message && t.id() != 0 && !t.retried) {
        session_expired(t);
        return;
    } else if (status >= 200 && status < 300) {
        answered(t);
        return;
    } else {
        std::string excerpt = t.error_excerpt();
        std::string answer
            = excerpt.empty() ? fmt::format("HTTP {}", status) : fmt::format("HTTP {}: {}", status, excerpt);
        why = failure(t.kind() == Kind::resume
                ? fmt::format("the event stream broke before the response and the server did not resume it "
                              "(GET with Last-Event-ID: {})",
                    answer)
                : answer);
    }
    if (t.kind() == Kind::reinitialize)
        reinitialized(false, why.message());
    else if (t.id() != 0 && waiting_for(t.id()))
        finish(t.id(), fail(why));
}

void HttpConnection::answered(Transfer& t)
{
    if (t.event_stream()) {
        t.finish_stream();
        if (resume(t, t.status()))
            return; // ended before the response: the rest is asked for again
    } else if (t.received().find_first_not_of(" \t\r\n") != std::string_view::npos) {
        adopt_session(t);
        on_message(t.received());
    }
    if (t.kind() == Kind::reinitialize)
        reinitialized(m_reinit_ok, "the server did not answer it");
    else if (t.id() != 0 && waiting_for(t.id()))
        finish(t.id(),
            fail(failure(!t.event_stream() ? std::string("the server's answer holds no response to the request")
                    : t.resumptions == 0
                    ? std::string("the event stream ended without the response")
                    : fmt::format("the event stream ended without the response (resumed {} times)", t.resumptions))));
}

bool HttpConnection::resume(const Transfer& t, long status)
{
    bool stream = t.kind() == Kind::stream;
    bool request = (t.kind() == Kind::message || t.kind() == Kind::resume) && t.id() != 0 && waiting_for(t.id());
    if (!(stream || request) || !t.event_stream() || status < 200 || status >= 300 || t.last_event_id().empty()
        || t.resumptions >= (stream ? 1 : max_resumptions))
        return false;
    auto next = make_transfer(stream ? Kind::stream : Kind::resume, t.id());
    next->resumptions = t.resumptions + 1;
    next->resumed_from = std::string(t.last_event_id());
    next->sent_session = !m_session.empty();
    std::vector<std::string> with = headers();
    with.push_back("Last-Event-ID: " + next->resumed_from);
    if (!next->setup(m_url, {}, with))
        return false;
    // The server's `retry:` says when to come back; a hostile one cannot
    // stall the request past a few seconds (its timeout still runs).
    int64_t wait = std::clamp<int64_t>(t.retry_ms() < 0 ? default_retry_ms : t.retry_ms(), 0, max_retry_ms);
    Transfer* held = next.get();
    held->held = true;
    held->wake = m_loop.after(std::chrono::milliseconds(wait), [this, held] {
        held->wake = 0;
        held->held = false;
        schedule();
    });
    m_transfers.push_back(std::move(next));
    return true;
}

void HttpConnection::session_expired(const Transfer& t)
{
    m_waiting.emplace_back(std::string(t.body()), t.id());
    if (m_reinitializing)
        return;
    m_reinitializing = true;
    m_reinit_ok = false;
    m_session.clear();
    m_stream_open = false; // the old session's stream, if any, is gone too
    if (auto r = post(Kind::reinitialize, m_init_message, m_init_id, false); !r)
        reinitialized(false, r.error().message());
}

void HttpConnection::reinitialized(bool ok, const std::string& why)
{
    m_reinitializing = false;
    auto waiting = std::move(m_waiting);
    m_waiting.clear();
    if (ok)
        (void)notify("notifications/initialized");
    for (auto& [message, id] : waiting) {
        if (!waiting_for(id))
            continue;
        if (!ok) {
            finish(id, fail(failure(fmt::format("the session expired (HTTP 404) and initialize failed: {}", why))));
            continue;
        }
        if (auto r = post(Kind::message, std::move(message), id, true); !r)
            finish(id, fail(r.error()));
    }
}

void HttpConnection::abandon(int64_t id)
{
    for (auto& t : m_transfers)
        if (t->id() == id && (t->kind() == Kind::message || t->kind() == Kind::resume))
            t->drop();
    std::erase_if(m_waiting, [id](const auto& w) { return w.second == id; });
    schedule();
}

Error HttpConnection::failure(std::string_view what) const
{
    return Error::make(ErrorCode::network, "{}: {}", m_shown_url, what);
}

void HttpConnection::delete_session()
{
    if (m_session.empty())
        return;
    // At ik's exit, or when the server is restarted: a short blocking request
    // is simpler than keeping the loop alive for it, and a server that does
    // not answer in 2 s loses nothing but an early cleanup.
    net::CurlEasy easy(curl_easy_init());
    if (!easy)
        return;
    curl_slist* list = nullptr;
    for (const std::string& h : headers())
        if (curl_slist* next = curl_slist_append(list, h.c_str()))
            list = next;
    net::CurlSlist owned(list);
    CURL* e = easy.get();
    curl_easy_setopt(e, CURLOPT_URL, m_url.c_str());
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, owned.get());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &discard);
    (void)curl_easy_perform(e);
    m_session.clear();
}

} // namespace ik::mcp
