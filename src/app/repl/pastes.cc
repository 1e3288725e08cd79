#include "app/repl/pastes.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "llm/image.h"

namespace ik::app {
namespace {

size_t line_count(std::string_view text)
{
    size_t n = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    return text.empty() || text.back() == '\n' ? n : n + 1;
}

// 3000 -> "3,000"
std::string grouped(size_t n)
{
    std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace

std::string Pastes::normalized(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\r') {
            out += text[i];
            continue;
        }
        out += '\n';
        if (i + 1 < text.size() && text[i + 1] == '\n')
            ++i;
    }
    return out;
}

bool Pastes::large(std::string_view text)
{
    return text.size() >= min_bytes || line_count(text) >= min_lines;
}

std::string Pastes::hold(std::string text)
{
    size_t lines = line_count(text);
    std::string placeholder = lines > 1 ? fmt::format("[pasted {} lines #{}]", grouped(lines), m_next)
                                        : fmt::format("[pasted {} bytes #{}]", grouped(text.size()), m_next);
    ++m_next;
    m_held.push_back(Held{ placeholder, std::move(text) });
    return placeholder;
}

std::optional<std::string> Pastes::hold_image(std::string_view pasted, const std::filesystem::path& cwd)
{
    std::string_view text = pasted;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"') && text.back() == text.front())
        text = text.substr(1, text.size() - 2);
    if (text.starts_with("file://"))
        text.remove_prefix(7);
    // A mention ends at whitespace or a quote: such a path could not stand for one.
    if (text.empty() || text.size() > 4096 || text.find_first_of(" \t\n\r\"'`") != std::string_view::npos)
        return std::nullopt;
    std::string path(text);
    if (path.starts_with("~/"))
        if (const char* home = std::getenv("HOME"))
            path = std::string(home) + path.substr(1);
    std::error_code ec;
    std::filesystem::path full = std::filesystem::path(path).is_absolute() ? std::filesystem::path(path) : cwd / path;
    if (!std::filesystem::is_regular_file(full, ec))
        return std::nullopt;
    auto size = static_cast<size_t>(std::filesystem::file_size(full, ec));
    std::array<char, 12> head{};
    std::ifstream in(full, std::ios::binary);
    in.read(head.data(), head.size());
    if (ec || !llm::sniff_image(std::string_view(head.data(), static_cast<size_t>(in.gcount()))))
        return std::nullopt;
    std::string placeholder
        = fmt::format("[image {} {} #{}]", full.filename().string(), llm::image_size(size), m_next++);
    m_held.push_back(Held{ placeholder, "@" + path });
    return placeholder;
}

std::string Pastes::expand(std::string_view text) const
{
    std::string out(text);
    for (const Held& h : m_held) {
        size_t at = out.find(h.placeholder);
        if (at != std::string::npos)
            out.replace(at, h.placeholder.size(), h.text);
    }
    return out;
}

} // namespace ik::app
