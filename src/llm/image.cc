#include "llm/image.h"

#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace ik::llm {

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> decode_table()
{
    std::array<int8_t, 256> t{};
    t.fill(-1);
    for (size_t i = 0; i < alphabet.size(); ++i)
        t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    return t;
}

constexpr auto decoding = decode_table();

bool starts(std::string_view bytes, std::string_view magic, size_t at = 0)
{
    return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

} // namespace

size_t Image::bytes() const
{
    size_t n = data.size() / 4 * 3;
    if (data.ends_with("=="))
        return n - 2;
    if (data.ends_with('='))
        return n - 1;
    return n;
}

std::optional<std::string_view> sniff_image(std::string_view bytes)
{
    using namespace std::string_view_literals;
    if (starts(bytes, "\x89PNG\r\n\x1a\n"sv))
        return "image/png";
    if (starts(bytes, "\xff\xd8\xff"sv))
        return "image/jpeg";
    if (starts(bytes, "GIF87a"sv) || starts(bytes, "GIF89a"sv))
        return "image/gif";
    if (starts(bytes, "RIFF"sv) && starts(bytes, "WEBP"sv, 8))
        return "image/webp";
    return std::nullopt;
}

std::string base64_encode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
    for (; i + 3 <= bytes.size(); i += 3) {
        uint32_t v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
        for (int shift : { 18, 12, 6, 0 })
            out += alphabet[(v >> shift) & 63];
    }
    size_t rest = bytes.size() - i;
    if (rest == 1) {
        uint32_t v = at(i) << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        uint32_t v = at(i) << 16 | at(i + 1) << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text)
{
    if (text.size() % 4 != 0)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (size_t i = 0; i < text.size(); i += 4) {
        bool last = i + 4 == text.size();
        int pad = last && text[i + 3] == '=' ? (text[i + 2] == '=' ? 2 : 1) : 0;
        uint32_t v = 0;
        for (size_t k = 0; k < 4; ++k) {
            int8_t d
                = k >= 4 - static_cast<size_t>(pad) ? int8_t{ 0 } : decoding[static_cast<unsigned char>(text[i + k])];
            if (d < 0)
                return std::nullopt;
            v = v << 6 | static_cast<uint32_t>(d);
        }
        out += static_cast<char>(v >> 16 & 0xff);
        if (pad < 2)
            out += static_cast<char>(v >> 8 & 0xff);
        if (pad < 1)
            out += static_cast<char>(v & 0xff);
    }
    return out;
}

std::string image_size(size_t bytes)
{
    if (bytes < 1000)
        return fmt::format("{} bytes", bytes);
    if (bytes < size_t{ 1000 } * 1000)
        return fmt::format("{} KB", (bytes + 500) / 1000);
    return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

} // namespace ik::llm
