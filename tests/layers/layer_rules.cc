#include "layer_rules.h"

#include <array>
#include <utility>

namespace ik::layers {

namespace {

constexpr std::array<std::pair<std::string_view, int>, 12> levels{ {
    { "core", 0 },
    { "config", 1 },
    { "net", 1 },
    { "store", 1 },
    { "sandbox", 1 },
    { "tui", 1 },
    { "checkpoint", 1 },
    { "llm", 2 },
    { "mcp", 2 },
    { "web", 2 },
    { "agent", 3 },
    { "app", 4 },
} };

std::string_view skip_blanks(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    return s;
}

} // namespace

std::optional<int> level_of(std::string_view module)
{
    for (const auto& [name, level] : levels)
        if (name == module)
            return level;
    return std::nullopt;
}

std::vector<Include> module_includes(std::string_view source)
{
    std::vector<Include> out;
    while (!source.empty()) {
        size_t eol = source.find('\n');
        std::string_view line = source.substr(0, eol);
        source = eol == std::string_view::npos ? std::string_view{} : source.substr(eol + 1);
        line = skip_blanks(line);
        if (!line.starts_with('#'))
            continue;
        line = skip_blanks(line.substr(1));
        if (!line.starts_with("include"))
            continue;
        line = skip_blanks(line.substr(7));
        if (!line.starts_with('"'))
            continue;
        std::string_view path = line.substr(1, line.find('"', 1) - 1);
        size_t slash = path.find('/');
        if (slash == std::string_view::npos || !level_of(path.substr(0, slash)))
            continue;
        out.push_back({ std::string(path.substr(0, slash)), path.find("/internal/") != std::string_view::npos,
            std::string(path) });
    }
    return out;
}

std::string violation(std::string_view from_module, const Include& inc)
{
    auto from = level_of(from_module);
    auto to = level_of(inc.module);
    if (!from)
        return "'" + std::string(from_module) + "' is not a module of design.md section 4 (add it to tests/layers)";
    if (inc.module == from_module)
        return {};
    if (inc.internal)
        return "includes " + inc.text + ": internal/ headers belong to their own module";
    if (from_module == "tui" && inc.module != "core")
        return "includes " + inc.text + ": tui includes only core";
    if (*to >= *from)
        return "includes " + inc.text + ": " + inc.module + " (level " + std::to_string(*to) + ") is not below "
            + std::string(from_module) + " (level " + std::to_string(*from) + ")";
    return {};
}

} // namespace ik::layers
