#include "llm/internal/attempt.h"

#include <ctime>

#include <fmt/format.h>
#include <strings.h>

#include "llm/internal/wire.h"
#include "llm/retry.h"

namespace ik::llm::internal {

namespace {

constexpr size_t max_error_body = size_t{ 64 } * 1024;

bool is_content(StreamEventKind kind)
{
    return kind == StreamEventKind::text_delta || kind == StreamEventKind::thinking_delta
        || kind == StreamEventKind::tool_call_start || kind == StreamEventKind::tool_call_delta
        || kind == StreamEventKind::tool_call_end || kind == StreamEventKind::search
        || kind == StreamEventKind::source; // a search is paid for: no silent retry after one
}

std::string_view category_words(ErrorCode code)
{
    switch (code) {
    case ErrorCode::rate_limit:
        return "rate limited";
    case ErrorCode::overloaded:
        return "overloaded";
    case ErrorCode::network:
        return "network error";
    case ErrorCode::timeout:
        return "timed out";
    default:
        return to_string(code);
    }
}

} // namespace

Attempt::Attempt(mem::Arena& turn, const Provider& provider, StreamSink& sink, const StreamLimits& limits)
    : m_turn(turn)
    , m_provider(provider)
    , m_sink(sink)
    , m_scratch(turn, "event", { .block_size = size_t{ 16 } * 1024 })
    , m_sse_arena(turn, "sse", { .block_size = size_t{ 8 } * 1024 })
    , m_last_byte(Loop::now())
    , m_limits(limits)
{
    m_decoder = m_provider.make_decoder(m_turn);
    m_sse.emplace(m_sse_arena, net::SseParser::Limits{ limits.sse_line_bytes, limits.sse_event_bytes });
}

Attempt::~Attempt()
{
    // The decoder and parser may hold memory in the arenas above; drop them
    // first (members die in reverse order, which already does this).
    m_sse.reset();
    m_decoder.reset();
}

Result<void> Attempt::setup(const HttpRequest& request, std::chrono::milliseconds connect_timeout)
{
    net::curl_global_once();
    m_easy.reset(curl_easy_init());
    if (!m_easy)
        return fail(ErrorCode::internal, "curl_easy_init failed");
    CURL* e = m_easy.get();
    m_url = std::string(request.url);
    curl_slist* list = nullptr;
    for (std::string_view h : request.headers) {
        std::string line(h);
        curl_slist* next = curl_slist_append(list, line.c_str());
        if (!next) {
            curl_slist_free_all(list);
            return fail(ErrorCode::internal, "curl_slist_append failed");
        }
        list = next;
    }
    // No "Expect: 100-continue" round trip for large bodies.
    list = curl_slist_append(list, "Expect:");
    m_headers.reset(list);
    curl_easy_setopt(e, CURLOPT_URL, m_url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, m_headers.get());
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_USERAGENT, "ik/0.1");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Attempt::on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Attempt::on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    return {};
}

size_t Attempt::on_header(char* data, size_t size, size_t count, void* self_ptr)
{
    auto* self = static_cast<Attempt*>(self_ptr);
    std::string_view line(data, size * count);
    self->m_last_byte = Loop::now();
    if (line.starts_with("HTTP/")) {
        self->m_retry_after.clear();
        self->m_retry_after_ms.clear();
        self->m_content_type.clear();
        return line.size();
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return line.size();
    std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    if (name.size() == 11 && strncasecmp(name.data(), "retry-after", 11) == 0)
        self->m_retry_after = std::string(value);
    else if (name.size() == 14 && strncasecmp(name.data(), "retry-after-ms", 14) == 0)
        self->m_retry_after_ms = std::string(value);
    else if (name.size() == 12 && strncasecmp(name.data(), "content-type", 12) == 0)
        self->m_content_type = std::string(value.substr(0, 128));
    return line.size();
}

size_t Attempt::on_body(char* data, size_t size, size_t count, void* self_ptr)
{
    return static_cast<Attempt*>(self_ptr)->body(std::string_view(data, size * count));
}

size_t Attempt::body(std::string_view bytes)
{
    m_last_byte = Loop::now();
    if (m_cancelled || m_abort || m_retry_error)
        return 0; // anything but bytes.size() aborts the transfer
    if (m_status == 0)
        curl_easy_getinfo(m_easy.get(), CURLINFO_RESPONSE_CODE, &m_status);
    if (m_status < 200 || m_status >= 300) {
        if (m_error_body.size() < max_error_body)
            m_error_body.append(bytes.substr(0, max_error_body - m_error_body.size()));
        return bytes.size();
    }
    if (m_content_type.find("text/html") != std::string::npos) {
        // A portal, proxy or wrong base URL answering with a web page.
        m_abort = Error::make(ErrorCode::provider,
            "{} answered HTTP {} with an HTML page instead of an event stream; check the base URL (a proxy or login "
            "page?)",
            m_url, m_status);
        return 0;
    }
    m_in_callback = true;
    Result<void> fed = feed(bytes);
    m_in_callback = false;
    if (!fed && !m_retry_error)
        m_abort = std::move(fed.error());
    if (m_cancelled || m_abort || m_retry_error)
        return 0;
    return bytes.size();
}

Result<void> Attempt::feed(std::string_view bytes)
{
    return m_sse->feed(bytes, [this](const net::SseEvent& event) -> Result<void> {
        Result<void> r = m_decoder->on_sse(event, m_scratch, *this);
        m_scratch.reset();
        return r;
    });
}

std::optional<Error> Attempt::stray_error() const
{
    std::string_view stray = m_sse->stray();
    if (stray.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return std::nullopt;
    std::string type = wire::error_type(stray);
    std::string message = wire::error_message(stray);
    bool json_error = !type.empty() || stray.find("\"error\"") != std::string_view::npos;
    if (json_error)
        return Error::make(wire::code_for_stream_error(type, message), "{} sent an error in the stream: {}",
            to_string(m_provider.format()), message);
    if (m_sse->events() > 0)
        return std::nullopt; // unknown fields beside real events: ignored, as the spec says
    return Error::make(ErrorCode::provider, "{} answered HTTP {} without an event stream; the body starts: {}", m_url,
        m_status, message);
}

Result<void> Attempt::end_of_body()
{
    TRY(m_sse->finish([this](const net::SseEvent& event) -> Result<void> {
        Result<void> r = m_decoder->on_sse(event, m_scratch, *this);
        m_scratch.reset();
        return r;
    }));
    // Checked before the decoder's end: Gemini's finish is only sent from
    // on_end, and an error appended after finishReason must win over it.
    if (std::optional<Error> stray = stray_error()) {
        Event e;
        e.kind = StreamEventKind::error;
        e.error_code = stray->code();
        e.text = stray->message();
        return on_event(e);
    }
    Result<void> r = m_decoder->on_end(m_scratch, *this);
    m_scratch.reset();
    return r;
}

Result<void> Attempt::on_event(const Event& event)
{
    if (event.kind == StreamEventKind::error) {
        if (!m_streamed && is_retryable(event.error_code)) {
            // Not shown: the whole attempt will be repeated.
            m_retry_error = Error(event.error_code, std::string(event.text));
            m_event_retry_after_ms = event.retry_after_ms;
            return fail(event.error_code, "{}", event.text);
        }
        m_stream_error = Error(event.error_code, std::string(event.text));
    } else if (is_content(event.kind)) {
        m_streamed = true;
        m_reply_bytes += event.text.size();
        if (m_reply_bytes > m_limits.reply_bytes)
            return fail(ErrorCode::cap_exceeded,
                "the reply exceeded {} MiB (limits.reply_mb); it was cut there and the text so far was kept",
                m_limits.reply_bytes >> 20);
    } else if (event.kind == StreamEventKind::finish) {
        m_finished = true;
    }
    if (m_cancelled)
        return fail(ErrorCode::interrupted, "cancelled");
    return m_sink.on_event(event);
}

Attempt::Outcome Attempt::finish(CURLcode rc, std::chrono::milliseconds idle_timeout)
{
    Outcome out{ Result<void>{}, false, -1, {} };
    auto fail_with = [&](Error e, bool retryable, std::string what) {
        out.result = ik::fail(std::move(e));
        out.retryable = retryable && !m_streamed;
        out.what = std::move(what);
    };
    if (m_cancelled) {
        fail_with(Error(ErrorCode::interrupted, "cancelled"), false, {});
        return out;
    }
    if (m_deadline_hit) {
        fail_with(Error::make(ErrorCode::timeout,
                      "the reply from {} did not finish within {} s (timeouts.reply_s); the text so far was kept",
                      m_url, m_deadline.count() / 1000),
            false, {});
        return out;
    }
    if (m_idle_timeout) {
        fail_with(Error::make(ErrorCode::timeout,
                      "no data from {} for {} s; the server stalled (raise http.idle_timeout_s if it is just slow)",
                      m_url, static_cast<double>(idle_timeout.count()) / 1000.0),
            true, "stream stalled");
        return out;
    }
    if (m_abort) {
        fail_with(std::move(*m_abort), false, {});
        return out;
    }
    if (m_retry_error) {
        std::string what = fmt::format("{} (error event)", category_words(m_retry_error->code()));
        out.retry_after_ms = m_event_retry_after_ms;
        fail_with(std::move(*m_retry_error), true, std::move(what));
        return out;
    }
    if (rc != CURLE_OK) {
        std::string_view why = curl_easy_strerror(rc);
        if (m_streamed)
            fail_with(Error::make(ErrorCode::interrupted, "the connection to {} dropped mid-reply: {}", m_url, why),
                false, {});
        else if (rc == CURLE_OPERATION_TIMEDOUT)
            fail_with(Error::make(ErrorCode::timeout, "{}: {} (http.connect_timeout_s)", m_url, why), true,
                "connect timed out");
        else
            fail_with(
                Error::make(ErrorCode::network, "cannot reach {}: {}; check the base URL and your network", m_url, why),
                true, "network error");
        return out;
    }
    if (m_status < 200 || m_status >= 300) {
        Error e = m_provider.classify_http_error(static_cast<int>(m_status), m_error_body, m_retry_after);
        out.retry_after_ms = server_delay_ms(m_retry_after, m_retry_after_ms, std::time(nullptr));
        bool retryable = is_retryable(e.code());
        std::string what = fmt::format("{} ({})", category_words(e.code()), m_status);
        e.add_context(fmt::format("HTTP {} from {}", m_status, m_url));
        int64_t keep = out.retry_after_ms;
        fail_with(std::move(e), retryable, std::move(what));
        out.retry_after_ms = keep;
        return out;
    }
    m_in_callback = true;
    Result<void> ended = end_of_body();
    m_in_callback = false;
    if (m_retry_error) {
        std::string what = fmt::format("{} (error event)", category_words(m_retry_error->code()));
        out.retry_after_ms = m_event_retry_after_ms;
        fail_with(std::move(*m_retry_error), true, std::move(what));
        return out;
    }
    if (!ended) {
        fail_with(std::move(ended.error()), false, {});
        return out;
    }
    if (m_stream_error) {
        fail_with(std::move(*m_stream_error), false, {});
        return out;
    }
    if (!m_finished) {
        fail_with(Error::make(ErrorCode::interrupted, "the stream from {} ended before the reply finished", m_url),
            !m_streamed, "stream ended early");
        return out;
    }
    return out;
}

} // namespace ik::llm::internal
