#include "web/content_type.h"

#include <array>

namespace ik::web {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// The charset parameter, lower case, quotes removed; "" when absent.
std::string charset(std::string_view content_type)
{
    std::string ct = lower(content_type);
    size_t at = ct.find("charset=");
    if (at == std::string::npos)
        return {};
    std::string_view v = std::string_view(ct).substr(at + 8);
    v = v.substr(0, v.find(';'));
    v = trim(v);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
        v = v.substr(1, v.size() - 2);
    return std::string(v);
}

constexpr std::array<std::string_view, 12> text_types
    = { "application/json", "application/xml", "application/javascript", "application/ecmascript",
          "application/x-javascript", "application/x-sh", "application/yaml", "application/x-yaml", "application/toml",
          "application/sql", "application/graphql", "image/svg+xml" };

} // namespace

std::string media_type(std::string_view content_type)
{
    return lower(trim(content_type.substr(0, content_type.find(';'))));
}

BodyKind body_kind(std::string_view content_type, std::string_view head)
{
    std::string type = media_type(content_type);
    if (type == "text/html" || type == "application/xhtml+xml")
        return BodyKind::html;
    if (type.starts_with("text/") || type.ends_with("+json") || type.ends_with("+xml"))
        return BodyKind::text;
    for (std::string_view t : text_types)
        if (type == t)
            return BodyKind::text;
    if (!type.empty() && type != "application/octet-stream")
        return BodyKind::binary;
    std::string_view sniff = head.substr(0, 8192);
    if (sniff.find('\0') != std::string_view::npos)
        return BodyKind::binary;
    std::string start = lower(trim(sniff).substr(0, 64));
    if (start.starts_with("<!doctype html") || start.starts_with("<html"))
        return BodyKind::html;
    return BodyKind::text;
}

std::string to_utf8(std::string_view body, std::string_view content_type)
{
    std::string cs = charset(content_type);
    if (cs != "iso-8859-1" && cs != "latin1" && cs != "windows-1252" && cs != "latin-1")
        return std::string(body);
    // Latin-1 maps byte for byte onto U+0000–U+00FF (windows-1252's extra
    // characters in 0x80–0x9F become C1 controls, which clean_text drops).
    std::string out;
    out.reserve(body.size() + body.size() / 8);
    for (char ch : body) {
        auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out += ch;
        } else {
            out += static_cast<char>(0xc0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3f));
        }
    }
    return out;
}

} // namespace ik::web
