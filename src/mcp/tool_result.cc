#include "mcp/tool_result.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace ik::mcp {

namespace {

void add_block(CallOutcome& out, const json::Field& block)
{
    std::string_view type = block["type"].string_or("");
    std::string piece;
    if (type == "text") {
        piece = std::string(block["text"].string_or(""));
    } else if (type == "image") {
        // Passed on as an image (the agent checks it); the text says where it was.
        std::string_view data = block["data"].string_or("");
        out.image_blocks.push_back({ std::string(block["mimeType"].string_or("")), std::string(data) });
        piece = fmt::format("[image {}, {} bytes]", block["mimeType"].string_or("?"), data.size() / 4 * 3);
        ++out.images;
    } else if (type == "audio") {
        // base64: 4 characters carry 3 bytes.
        size_t bytes = block["data"].string_or("").size() / 4 * 3;
        piece = fmt::format("[{} {}, {} bytes: not shown to the model]", type, block["mimeType"].string_or("?"), bytes);
    } else if (type == "resource_link") {
        piece = fmt::format("[resource link: {} <{}>{}]{}{}", block["name"].string_or("?"), block["uri"].string_or(""),
            block["mimeType"].exists() ? fmt::format(" ({})", block["mimeType"].string_or("")) : "",
            block["description"].exists() ? " " : "", block["description"].string_or(""));
    } else if (type == "resource") {
        json::Field r = block["resource"];
        if (r["text"].exists())
            piece = fmt::format("[resource {}]\n{}", r["uri"].string_or(""), r["text"].string_or(""));
        else
            piece = fmt::format(
                "[resource {} ({}): binary, not shown]", r["uri"].string_or(""), r["mimeType"].string_or("?"));
    } else {
        piece = fmt::format("[content of type '{}' not understood]", type);
    }
    if (!out.text.empty())
        out.text += '\n';
    out.text += piece;
}

} // namespace

CallOutcome outcome_from(const json::value& result, size_t max_bytes)
{
    CallOutcome out;
    json::Field f(result);
    out.is_error = f["isError"].boolean_or(false);
    if (auto content = f["content"].as_array()) {
        for (size_t i = 0; i < (*content)->size(); ++i)
            add_block(out, f["content"][i]);
    }
    if (out.text.empty() && f["structuredContent"].exists())
        out.text = boost::json::serialize(*f["structuredContent"].get());
    if (out.text.size() > max_bytes) {
        size_t cut = out.text.size() - max_bytes;
        out.text.resize(max_bytes);
        out.text += fmt::format("\n[{} more bytes cut]", cut);
    }
    return out;
}

} // namespace ik::mcp
