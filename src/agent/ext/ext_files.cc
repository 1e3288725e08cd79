#include "agent/ext/ext_files.h"

#include "agent/tools/internal/files.h"

namespace ik::agent {

Result<std::string> read_extension_file(
    Loop& loop, const std::filesystem::path& beneath, const std::filesystem::path& path, size_t max_bytes)
{
    // No private directories here: the user's own commands and skills live
    // in ik's configuration directory, which the file tools may not open.
    ToolContext ctx{
        .loop = loop, .cwd = path.parent_path(), .sandbox = nullptr, .private_dirs = {}, .beneath = beneath
    };
    auto text = internal::read_text_file("ik", ctx, path.string(), max_bytes);
    if (text)
        return text;
    switch (text.error().code()) {
    case ErrorCode::denied:
        return fail(ErrorCode::denied, "it leads outside {} (a symlink?), refused", beneath.string());
    case ErrorCode::cap_exceeded: {
        std::error_code ec;
        return fail(ErrorCode::cap_exceeded, "larger than the {} limit ({})", internal::human_bytes(max_bytes),
            internal::human_bytes(static_cast<size_t>(std::filesystem::file_size(path, ec))));
    }
    default:
        return text;
    }
}

std::string one_line(std::string_view text, size_t max_bytes)
{
    if (text.size() > max_bytes) {
        size_t cut = max_bytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut; // not inside a character
        text = text.substr(0, cut);
    }
    std::string out;
    for (char c : text)
        out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
    return out;
}

} // namespace ik::agent
