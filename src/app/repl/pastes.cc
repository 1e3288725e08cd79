#include "app/repl/pastes.h"

#include <algorithm>

#include <fmt/format.h>

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
