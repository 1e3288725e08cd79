#include "app/acp/acp_prompt.h"

#include <fmt/format.h>

#include "agent/mentions.h"
#include "llm/image.h"

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

// An image block, or a resource's blob, as an image of the prompt.
Result<void> add_image(
    PromptContent& out, json::Field block, std::string_view data, std::string_view name, const PromptOptions& options)
{
    if (!options.images)
        return fail(ErrorCode::invalid_argument, "{}: model {} does not accept images; send the prompt without it",
            block.path(), options.model.empty() ? "in use" : options.model);
    if (out.images.size() >= llm::max_images_per_message)
        return fail(ErrorCode::invalid_argument, "{}: at most {} images in one prompt", block.path(),
            llm::max_images_per_message);
    auto image = editor_image(data, name);
    if (!image)
        return fail(image.error().code(), "{}: {}", block.path(), image.error().message());
    out.images.push_back(std::move(*image));
    return {};
}

} // namespace

Result<agent::ToolImage> editor_image(std::string_view data, std::string_view name)
{
    // Checked on the encoded length first: nothing over the cap is decoded.
    if (data.size() / 4 * 3 > llm::max_image_file_bytes + 2)
        return fail(ErrorCode::cap_exceeded, "the image is over {}", llm::image_size(llm::max_image_file_bytes));
    auto bytes = llm::base64_decode(data);
    if (!bytes)
        return fail(ErrorCode::invalid_argument, "the image data is not padded base64");
    if (bytes->size() > llm::max_image_file_bytes)
        return fail(ErrorCode::cap_exceeded, "the image is over {}", llm::image_size(llm::max_image_file_bytes));
    auto type = llm::sniff_image(*bytes);
    if (!type)
        return fail(ErrorCode::invalid_argument, "the data is not a PNG, JPEG, GIF or WebP image");
    std::string shown(name.substr(0, 200));
    for (char& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '_'; // shown in notes and the transcript: no escape sequences
    return agent::ToolImage{ std::string(*type), std::move(shown), std::string(data), bytes->size() };
}

Result<PromptContent> prompt_content(json::Field blocks, const std::filesystem::path& cwd, const PromptOptions& options)
{
    TRY(blocks.as_array());
    PromptContent content;
    std::string& out = content.text;
    for (size_t i = 0; i < blocks.size(); ++i) {
        json::Field block = blocks[i];
        std::string_view type = TRY(block["type"].string());
        if (type == "text") {
            out += TRY(block["text"].string());
        } else if (type == "resource_link") {
            TRY(add_link(out, block, cwd));
        } else if (type == "resource" && block["resource"]["blob"].exists()) {
            std::string_view uri = block["resource"]["uri"].string_or("image");
            std::string_view blob = TRY(block["resource"]["blob"].string());
            TRY(add_image(content, block, blob, uri, options));
        } else if (type == "resource") {
            TRY(add_resource(out, block));
        } else if (type == "image") {
            std::string name = fmt::format("image {}", content.images.size() + 1);
            std::string_view data = TRY(block["data"].string());
            TRY(add_image(content, block, data, name, options));
        } else {
            return fail(ErrorCode::invalid_argument, "{}: content type '{}' is not supported", block.path(), type);
        }
    }
    if (out.empty() && content.images.empty())
        return fail(ErrorCode::invalid_argument, "the prompt is empty");
    return content;
}

} // namespace ik::app::acp
