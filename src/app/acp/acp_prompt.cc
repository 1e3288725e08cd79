#include "app/acp/acp_prompt.h"

#include <fmt/format.h>

#include "agent/mentions.h"

namespace ik::app::acp {

namespace {

// "file:///a/b%20c" -> "/a/b c"; nullopt for other schemes.
std::optional<std::string> file_path(std::string_view uri)
{
    constexpr std::string_view scheme = "file://";
    if (!uri.starts_with(scheme))
        return std::nullopt;
    uri.remove_prefix(scheme.size());
    std::string out;
    for (size_t i = 0; i < uri.size(); ++i) {
        if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1]))
            && std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += uri[i];
        }
    }
    if (out.find('\0') != std::string::npos)
        return std::nullopt;
    return out;
}

Result<void> add_link(std::string& out, json::Field block, const std::filesystem::path& cwd)
{
    std::string_view uri = TRY(block["uri"].string());
    auto path = file_path(uri);
    if (!path)
        return fail(ErrorCode::invalid_argument, "{}: only file:// resource links are supported", block.path());
    std::filesystem::path p(*path);
    std::filesystem::path rel = p.lexically_relative(cwd);
    std::string mention = !rel.empty() && !rel.string().starts_with("..") ? rel.string() : p.string();
    if (mention.find_first_of(" \t\n") != std::string::npos)
        return fail(
            ErrorCode::invalid_argument, "{}: a linked path with spaces cannot be attached: {}", block.path(), mention);
    out += fmt::format("{}@{}", out.empty() || out.ends_with('\n') || out.ends_with(' ') ? "" : " ", mention);
    return {};
}

Result<void> add_resource(std::string& out, json::Field block)
{
    json::Field resource = block["resource"];
    std::string_view uri = TRY(resource["uri"].string());
    if (!resource["text"].exists())
        return fail(ErrorCode::invalid_argument, "{}: binary resources are not supported", block.path());
    std::string_view text = TRY(resource["text"].string());
    bool cut = text.size() > agent::max_attach;
    std::string shown_uri(uri.substr(0, 1000));
    for (char& c : shown_uri)
        if (c == '"' || c == '<' || c == '>' || c == '\n')
            c = '_'; // the attribute must stay one attribute
    out += fmt::format("\n\n<file path=\"{}\">\n{}{}\n</file>", shown_uri, text.substr(0, agent::max_attach),
        cut ? "\n[cut: the rest was not attached]" : "");
    return {};
}

} // namespace

Result<std::string> prompt_text(json::Field blocks, const std::filesystem::path& cwd)
{
    TRY(blocks.as_array());
    std::string out;
    for (size_t i = 0; i < blocks.size(); ++i) {
        json::Field block = blocks[i];
        std::string_view type = TRY(block["type"].string());
        if (type == "text") {
            out += TRY(block["text"].string());
        } else if (type == "resource_link") {
            TRY(add_link(out, block, cwd));
        } else if (type == "resource") {
            TRY(add_resource(out, block));
        } else {
            return fail(ErrorCode::invalid_argument, "{}: content type '{}' is not supported", block.path(), type);
        }
    }
    if (out.empty())
        return fail(ErrorCode::invalid_argument, "the prompt is empty");
    return out;
}

} // namespace ik::app::acp
