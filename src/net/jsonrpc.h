// JSON-RPC 2.0 framing (https://www.jsonrpc.org/specification), shared by the
// MCP client and, later, the editor protocol (design.md §4).
//
// One message is one JSON object. parse() classifies it as a request, a
// notification, a response or an error response; anything else (not JSON,
// not an object, no "jsonrpc": "2.0", a response without an id, an id that is
// neither a string nor an integer, ...) is returned as a Message of kind
// `invalid` whose `error` holds the JSON-RPC error a peer would answer with
// (-32700 parse error, -32600 invalid request). Outside input never becomes
// an ik::Error here: a malformed line from a server is a value the caller
// reports and skips, not a reason to drop the connection.
//
//   mem::Arena scratch(conn, "message");
//   net::jsonrpc::Message m = net::jsonrpc::parse(scratch, line);
//   if (m.kind == Kind::response) pending.complete(m.id, ...);
//   std::string out = net::jsonrpc::request(7, "tools/list", params);
//
// The encoders return heap strings without the trailing newline (the stdio
// transport adds it; HTTP does not want it). A Message borrows the arena its
// document was parsed into: its views and value pointers die with it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/arena.h"
#include "core/json.h"

namespace ik::net::jsonrpc {

// The error codes of the specification.
inline constexpr int64_t parse_error = -32700;
inline constexpr int64_t invalid_request = -32600;
inline constexpr int64_t method_not_found = -32601;
inline constexpr int64_t invalid_params = -32602;
inline constexpr int64_t internal_error = -32603;

enum class Kind : uint8_t { request, notification, response, error, invalid };

// A request id: an integer or a string (null ids are only legal in error
// responses to requests that could not be read).
struct Id {
    int64_t number = 0;
    std::string_view text{}; // the string id, when is_string
    bool is_string = false;
    bool is_null = true;

    static Id of(int64_t n) { return Id{ .number = n, .text = {}, .is_string = false, .is_null = false }; }
    // The id as JSON text ("7", "\"abc\"", "null"), for echoing it back.
    std::string to_json() const;
    bool operator==(const Id& other) const;
};

struct ErrorObject {
    int64_t code = 0;
    std::string_view message{};
    const json::value* data = nullptr; // may be null
};

struct Message {
    Kind kind = Kind::invalid;
    Id id{};
    std::string_view method{}; // request, notification
    const json::value* params = nullptr; // request, notification; may be null
    const json::value* result = nullptr; // response
    ErrorObject error{}; // error; for invalid: what to answer
    std::string problem{}; // invalid: why, in words, for logs
};

// Classifies one message; never fails (see above). Views point into `arena`.
Message parse(mem::Arena& arena, std::string_view text);

// Encoders. `params`/`result` are JSON text ("{}" when empty is wanted);
// empty params are left out.
std::string request(int64_t id, std::string_view method, std::string_view params = {});
std::string notification(std::string_view method, std::string_view params = {});
std::string response(const Id& id, std::string_view result);
std::string error_response(const Id& id, int64_t code, std::string_view message);

} // namespace ik::net::jsonrpc
