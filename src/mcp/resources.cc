#include "mcp/resources.h"

#include <fmt/format.h>

namespace ik::mcp {

namespace {

// A server's name or description on one line, at most `max` bytes.
std::string one_line(std::string_view s, size_t max = 200)
{
    std::string out;
    for (char c : s) {
        if (out.size() >= max) {
            out += "…";
            break;
        }
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    return out;
}

// base64: 4 characters carry 3 bytes.
size_t base64_bytes(std::string_view data)
{
    return data.size() / 4 * 3;
}

void append(std::string& out, std::string_view piece)
{
    if (!out.empty())
        out += '\n';
    out += piece;
}

} // namespace

void cap_text(std::string& text, size_t max_bytes)
{
    if (text.size() <= max_bytes)
        return;
    size_t keep = max_bytes;
    // Never cut inside a UTF-8 sequence.
    while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80)
        --keep;
    size_t cut = text.size() - keep;
    text.resize(keep);
    text += fmt::format("\n[{} more bytes cut]", cut);
}

CallOutcome resource_list_outcome(std::string_view server, const json::value& result, size_t max_bytes)
{
    CallOutcome out;
    json::Field f(result);
    size_t count = f["resources"].get() && f["resources"].get()->is_array() ? f["resources"].size() : 0;
    for (size_t i = 0; i < count; ++i) {
        json::Field r = f["resources"][i];
        std::string line = fmt::format("- {} ({})", one_line(r["uri"].string_or("?"), 2048),
            one_line(r["title"].exists() ? r["title"].string_or("") : r["name"].string_or("")));
        if (r["mimeType"].exists())
            line += fmt::format(" {}", one_line(r["mimeType"].string_or(""), 100));
        if (int64_t size = r["size"].integer_or(-1); size >= 0)
            line += fmt::format(", {} bytes", size);
        if (std::string_view d = r["description"].string_or(""); !d.empty())
            line += fmt::format(": {}", one_line(d));
        append(out.text, line);
    }
    if (count == 0)
        out.text = fmt::format("MCP server '{}' lists no resources.", server);
    else
        out.text = fmt::format("Resources of MCP server '{}':\n{}", server, out.text);
    if (std::string_view next = f["nextCursor"].string_or(""); !next.empty())
        out.text += fmt::format("\nMore: call mcp_resource_list with cursor \"{}\".", one_line(next, 512));
    cap_text(out.text, max_bytes);
    return out;
}

std::string templates_text(const std::vector<ResourceTemplate>& templates, size_t max_bytes)
{
    if (templates.empty())
        return {};
    std::string out = "\nTemplates (fill in the {placeholders} to make a URI for mcp_resource_read):";
    for (const ResourceTemplate& t : templates) {
        std::string line = fmt::format("\n- {} ({})", one_line(t.uri_template, 2048), one_line(t.name));
        if (!t.mime_type.empty())
            line += fmt::format(" {}", one_line(t.mime_type, 100));
        if (!t.description.empty())
            line += fmt::format(": {}", one_line(t.description));
        out += line;
    }
    cap_text(out, max_bytes);
    return out;
}

CallOutcome resource_read_outcome(const json::value& result, size_t max_bytes)
{
    CallOutcome out;
    json::Field f(result);
    size_t count = f["contents"].get() && f["contents"].get()->is_array() ? f["contents"].size() : 0;
    for (size_t i = 0; i < count; ++i) {
        json::Field c = f["contents"][i];
        std::string uri = one_line(c["uri"].string_or(""), 2048);
        std::string mime = one_line(c["mimeType"].string_or("unknown type"), 100);
        if (c["text"].exists()) {
            append(out.text,
                count > 1 ? fmt::format("[{}]\n{}", uri, c["text"].string_or(""))
                          : std::string(c["text"].string_or("")));
        } else if (c["blob"].exists()) {
            append(out.text,
                fmt::format("[binary resource {} ({}), {} bytes: not shown]", uri, mime,
                    base64_bytes(c["blob"].string_or(""))));
        } else {
            append(out.text, fmt::format("[resource {}: no text or blob]", uri));
        }
    }
    if (count == 0)
        out.text = "[the resource has no contents]";
    cap_text(out.text, max_bytes);
    return out;
}

CallOutcome prompt_outcome(const json::value& result, size_t max_bytes)
{
    CallOutcome out;
    json::Field f(result);
    size_t count = f["messages"].get() && f["messages"].get()->is_array() ? f["messages"].size() : 0;
    for (size_t i = 0; i < count; ++i) {
        json::Field c = f["messages"][i]["content"];
        std::string_view type = c["type"].string_or("");
        if (type == "text")
            append(out.text, c["text"].string_or(""));
        else if (type == "resource" && c["resource"]["text"].exists())
            append(out.text, c["resource"]["text"].string_or(""));
        else
            append(out.text, fmt::format("[{} content: not included]", one_line(type, 40)));
        if (i + 1 < count)
            out.text += '\n';
    }
    if (out.text.find_first_not_of(" \n\t\r") == std::string::npos) {
        out.is_error = true;
        out.text = "the prompt has no text";
    }
    cap_text(out.text, max_bytes);
    return out;
}

} // namespace ik::mcp
