#include "sandbox/environment.h"

#include <array>

namespace ik::sandbox {

bool passes_allow_list(std::string_view name)
{
    static constexpr std::array<std::string_view, 15> allowed = { "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG",
        "LANGUAGE", "TERM", "COLORTERM", "NO_COLOR", "TZ", "PWD", "EDITOR", "VISUAL", "PAGER" };
    if (name.starts_with("LC_"))
        return true;
    for (auto a : allowed)
        if (a == name)
            return true;
    return false;
}

std::vector<std::string> filtered_environment(char** parent, std::string_view tmpdir)
{
    std::vector<std::string> out;
    for (char** e = parent; e && *e; ++e) {
        std::string_view entry(*e);
        auto eq = entry.find('=');
        if (eq == std::string_view::npos || !passes_allow_list(entry.substr(0, eq)))
            continue;
        out.emplace_back(entry);
    }
    if (!tmpdir.empty())
        out.push_back("TMPDIR=" + std::string(tmpdir));
    return out;
}

} // namespace ik::sandbox
