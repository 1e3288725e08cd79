#include "net/jsonrpc.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace ik::net::jsonrpc {

namespace {

// A JSON string literal for `text`, escaped by Boost.JSON.
std::string quoted(std::string_view text)
{
    return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

Message invalid(int64_t code, std::string problem)
{
    Message m;
    m.kind = Kind::invalid;
    m.error.code = code;
    m.error.message = code == parse_error ? "Parse error" : "Invalid Request";
    m.problem = std::move(problem);
    return m;
}

// Reads "id" into `out`; false when present but neither integer nor string.
bool read_id(const json::object& obj, Id& out)
{
    const json::value* id = obj.if_contains("id");
    if (!id || id->is_null())
        return true;
    if (id->is_int64()) {
        out = Id::of(id->get_int64());
        return true;
    }
    if (id->is_uint64() && id->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
        out = Id::of(static_cast<int64_t>(id->get_uint64()));
        return true;
    }
    if (id->is_string()) {
        const auto& s = id->get_string();
        out = Id{ .number = 0, .text = std::string_view(s.data(), s.size()), .is_string = true, .is_null = false };
        return true;
    }
    return false;
}

Message classify_error(const json::object& obj, Message m)
{
    const json::value* err = obj.if_contains("error");
    if (!err->is_object())
        return invalid(invalid_request, "\"error\" is not an object");
    const json::value* code = err->get_object().if_contains("code");
    const json::value* message = err->get_object().if_contains("message");
    if (!code || !code->is_int64())
        return invalid(invalid_request, "error without an integer \"code\"");
    m.kind = Kind::error;
    m.error.code = code->get_int64();
    if (message && message->is_string())
        m.error.message = std::string_view(message->get_string().data(), message->get_string().size());
    m.error.data = err->get_object().if_contains("data");
    return m;
}

} // namespace

std::string Id::to_json() const
{
    if (is_null)
        return "null";
    if (is_string)
        return quoted(text);
    return std::to_string(number);
}

bool Id::operator==(const Id& other) const
{
    if (is_null || other.is_null)
        return is_null == other.is_null;
    if (is_string != other.is_string)
        return false;
    return is_string ? text == other.text : number == other.number;
}

Message parse(mem::Arena& arena, std::string_view text)
{
    auto doc = json::parse(arena, text, "JSON-RPC message");
    if (!doc)
        return invalid(parse_error, doc.error().message());
    if (!doc->is_object())
        return invalid(invalid_request, fmt::format("expected an object, got {}", json::kind_name(*doc)));
    const json::object& obj = doc->get_object();
    // The document lives in the arena; `obj` outlives this function there.
    const json::value* version = obj.if_contains("jsonrpc");
    if (!version || !version->is_string() || version->get_string() != "2.0")
        return invalid(invalid_request, R"(missing "jsonrpc": "2.0")");
    Message m;
    if (!read_id(obj, m.id))
        return invalid(invalid_request, "\"id\" is neither an integer nor a string");
    const json::value* method = obj.if_contains("method");
    if (method) {
        if (!method->is_string())
            return invalid(invalid_request, "\"method\" is not a string");
        m.method = std::string_view(method->get_string().data(), method->get_string().size());
        m.params = obj.if_contains("params");
        if (m.params && !m.params->is_object() && !m.params->is_array())
            return invalid(invalid_request, "\"params\" is neither an object nor an array");
        m.kind = m.id.is_null ? Kind::notification : Kind::request;
        return m;
    }
    bool has_result = obj.contains("result");
    bool has_error = obj.contains("error");
    if (has_result == has_error)
        return invalid(invalid_request, R"(a response needs exactly one of "result" and "error")");
    if (has_error)
        return classify_error(obj, std::move(m));
    if (m.id.is_null)
        return invalid(invalid_request, "a response without an id");
    m.kind = Kind::response;
    m.result = obj.if_contains("result");
    return m;
}

std::string request(int64_t id, std::string_view method, std::string_view params)
{
    if (params.empty())
        return fmt::format(R"({{"jsonrpc":"2.0","id":{},"method":{}}})", id, quoted(method));
    return fmt::format(R"({{"jsonrpc":"2.0","id":{},"method":{},"params":{}}})", id, quoted(method), params);
}

std::string notification(std::string_view method, std::string_view params)
{
    if (params.empty())
        return fmt::format(R"({{"jsonrpc":"2.0","method":{}}})", quoted(method));
    return fmt::format(R"({{"jsonrpc":"2.0","method":{},"params":{}}})", quoted(method), params);
}

std::string response(const Id& id, std::string_view result)
{
    return fmt::format(R"({{"jsonrpc":"2.0","id":{},"result":{}}})", id.to_json(), result);
}

std::string error_response(const Id& id, int64_t code, std::string_view message)
{
    return fmt::format(
        R"({{"jsonrpc":"2.0","id":{},"error":{{"code":{},"message":{}}}}})", id.to_json(), code, quoted(message));
}

} // namespace ik::net::jsonrpc
