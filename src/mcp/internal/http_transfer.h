// One HTTP exchange of the Streamable HTTP transport (mcp/http_connection.h):
// a POST of one JSON-RPC message, the GET stream, a GET resuming a broken
// event stream (Last-Event-ID), or the DELETE at the end.
//
// The transfer reads the response as it arrives. Headers: the status, the
// content type, and Mcp-Session-Id (kept only when it is 1 to 256 visible
// ASCII characters, as the spec allows). Body: with text/event-stream, an
// SSE parser (net/sse.h) capped at `limit` bytes per line and per event hands
// each event's data to `on_event` while the stream runs; with any other
// 2xx type the body is collected, refused past `limit` bytes; a non-2xx body
// keeps its first KiB for the error message. Whatever exceeds a cap aborts
// the transfer with ErrorCode::cap_exceeded — the bytes are never buffered.
//
// Memory: the body and the parser's buffers live in the transfer's own arena
// (a child of the connection's), freed with the transfer.
//
// Owns: the easy handle, its header list, the request body curl reads from,
// the arena. Borrows: the parent arena and `on_event` (the connection).
#pragma once

#include <cstdint>
#include <functional>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/result.h"
#include "net/http_handles.h"
#include "net/sse.h"

namespace ik::mcp::internal {

enum class TransferKind : uint8_t {
    message, // a POSTed request, notification or response
    reinitialize, // the initialize POSTed again after the session expired
    stream, // the GET stream of server-initiated messages
    resume, // a GET with Last-Event-ID resuming a request's broken event stream
};

class HttpTransfer {
public:
    using OnEvent = std::function<void(const HttpTransfer& transfer, std::string_view data)>;

    HttpTransfer(mem::Arena& parent, TransferKind kind, int64_t id, size_t limit, OnEvent on_event);
    HttpTransfer(const HttpTransfer&) = delete;
    HttpTransfer& operator=(const HttpTransfer&) = delete;

    // Prepares a POST of `body` (a GET for the kinds `stream` and `resume`)
    // to `url` with `headers` ("Name: value" lines).
    Result<void> setup(const std::string& url, std::string body, const std::vector<std::string>& headers);

    CURL* easy() const { return m_easy.get(); }
    TransferKind kind() const { return m_kind; }
    int64_t id() const { return m_id; } // the request's id; 0 for anything else
    std::string_view body() const { return m_body; } // what was sent
    long status() const { return m_status; }
    bool event_stream() const { return m_event_stream; }
    std::string_view session_id() const { return m_session; }
    std::string_view received() const { return m_in; } // a non-SSE 2xx body
    // The start of a non-2xx body, on one line.
    std::string error_excerpt() const;
    const char* curl_error() const { return m_errbuf; }
    // Why the transfer was aborted from a callback (a cap), if it was.
    const std::optional<Error>& aborted() const { return m_abort; }
    // Delivers an event left without its closing blank line at the end.
    void finish_stream();
    // The id of the last event this stream carried, or the one it resumed
    // from when it carried none; "" when no id fit in a header (see .cc).
    std::string_view last_event_id() const;
    // The stream's `retry:` in milliseconds, -1 if it sent none.
    int64_t retry_ms() const { return m_sse ? m_sse->retry_ms() : -1; }

    // The transfer is no longer wanted (its request was given up); it is
    // aborted at its next callback and reaped from the loop.
    void drop() { m_dropped = true; }
    bool dropped() const { return m_dropped; }
    bool added = false; // handed to the multi handle
    bool retried = false; // sent again after a re-initialize
    bool sent_session = false; // carried Mcp-Session-Id
    // Resumption (mcp/http_connection.h): the id this GET resumes from, how
    // many resumptions led to it, and the timer holding it back until the
    // server's retry delay has passed (0: none; `held` keeps it off the
    // multi handle until then).
    std::string resumed_from;
    int resumptions = 0;
    uint64_t wake = 0;
    bool held = false;

private:
    static size_t on_header(char* data, size_t size, size_t count, void* self);
    static size_t on_body(char* data, size_t size, size_t count, void* self);
    size_t header(std::string_view line);
    size_t take(std::string_view bytes);

    mem::Arena m_arena;
    TransferKind m_kind;
    int64_t m_id;
    size_t m_limit;
    OnEvent m_on_event;
    std::string m_body;
    net::CurlEasy m_easy;
    net::CurlSlist m_headers;
    std::pmr::string m_in;
    std::optional<net::SseParser> m_sse;
    std::string m_session;
    std::optional<Error> m_abort;
    long m_status = 0;
    bool m_event_stream = false;
    bool m_dropped = false;
    char m_errbuf[CURL_ERROR_SIZE] = {};
};

} // namespace ik::mcp::internal
