// The Streamable HTTP transport of an MCP connection (mcp/connection.h),
// MCP 2025-06-18 (2025-03-26 servers work too: the exchange is the same).
//
// Every JSON-RPC message is one POST to the server's URL, with
// `Accept: application/json, text/event-stream`, the user's headers (tokens
// expanded from the environment, mcp/http_headers.h), and after the
// handshake `Mcp-Session-Id` (when the server gave one in its initialize
// reply) and `MCP-Protocol-Version` (what initialize negotiated). A request's
// answer is one JSON body, or an event stream that may carry the server's own
// requests and notifications before the response; a notification's or
// response's answer is 202 with no body. Transfers run on ik's loop through
// the libcurl multi handle (net/http_multi.h): nothing blocks.
//
// Sessions: a 404 to a request that carried the session id means the server
// forgot the session. The connection then sends initialize again (the same
// message it sent first), then notifications/initialized, and sends the
// request once more; a second 404 fails it. The server above never sees this.
// After the handshake a GET opens a stream for messages the server sends on
// its own; 405 means the server offers none. Destroying the connection
// DELETEs the session (a blocking request of at most 2 s, made at most once
// per connection).
//
// Resumption (MCP 2025-06-18 "Resumability and Redelivery"): when the event
// stream answering a request ends or breaks before the response, and it
// carried event ids, a GET with `Last-Event-ID: <the last id>` (and the
// session headers) asks the server to replay what followed on a new stream,
// read like the first. Up to `max_resumptions` in a row, each after the
// stream's `retry:` delay (capped at `max_retry`; `default_retry` without
// one), all within the request's own timeout. A stream without ids fails the
// request as before; a resuming GET answered with an error status (405: the
// server cannot resume) fails it naming the status. The GET stream of server
// messages is reopened the same way once when it ends after carrying ids;
// one that carried none is not reopened (a later session's handshake opens a
// new one).
//
// Errors name the server's URL with its query and credentials left out
// (redacted_url()); header values are never shown. A server that cannot be
// reached fails the request, not the connection: the next request tries
// again.
//
// Memory: each transfer has its own arena (mcp/internal/http_transfer.h),
// capped by explicit checks at `line_bytes` per body and per SSE line and
// event; a hostile server's oversized answer fails its request with
// ErrorCode::cap_exceeded.
//
// Owns: the multi handle, every transfer. Borrows: the loop.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mcp/connection.h"
#include "mcp/internal/http_transfer.h"
#include "net/http_multi.h"

namespace ik::mcp {

class HttpConnection final : public Connection {
public:
    static Result<std::unique_ptr<Connection>> start(
        Loop& loop, mem::Arena& parent, const config::McpServerConfig& server, Events events, ConnectionLimits limits);
    ~HttpConnection() override;
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    std::string_view session_id() const { return m_session; }

private:
    using Transfer = internal::HttpTransfer;
    using Kind = internal::TransferKind;

    HttpConnection(
        Loop& loop, mem::Arena& parent, const config::McpServerConfig& server, Events events, ConnectionLimits limits);
    Result<void> send(std::string message, int64_t id, std::string_view method) override;
    void abandon(int64_t id) override;
    void on_result(int64_t id, const json::value& result) override;

    std::unique_ptr<Transfer> make_transfer(Kind kind, int64_t id);
    Result<void> post(Kind kind, std::string message, int64_t id, bool retried);
    bool resume(const Transfer& t, long status);
    void open_stream();
    std::vector<std::string> headers() const;
    void schedule();
    void run_scheduled();
    void done(Transfer& t, CURLcode rc);
    void answered(Transfer& t);
    void session_expired(const Transfer& t);
    void adopt_session(const Transfer& t);
    void reinitialized(bool ok, const std::string& why);
    Error failure(std::string_view what) const;
    void delete_session();

    net::HttpMulti m_multi;
    std::string m_url;
    std::string m_shown_url; // redacted_url(m_url)
    std::vector<std::string> m_user_headers; // "Name: value", expanded
    std::string m_session;
    std::string m_protocol_version;
    int64_t m_init_id = 0;
    std::string m_init_message; // sent again when the session expires
    bool m_reinitializing = false;
    bool m_reinit_ok = false;
    std::vector<std::pair<std::string, int64_t>> m_waiting; // requests (message, id) to send again after it
    bool m_stream_open = false;
    std::vector<std::unique_ptr<Transfer>> m_transfers;
    Loop::TimerId m_kick = 0;
};

} // namespace ik::mcp
