#include "app/commands/completion.h"

#include <algorithm>
#include <array>

namespace ik::app {
namespace {

// Optimal string alignment distance (insert, delete, substitute, swap two
// neighbours), bounded: names are short, so the full table is cheap.
size_t edit_distance(std::string_view a, std::string_view b)
{
    constexpr size_t max_name = 32;
    if (a.size() > max_name || b.size() > max_name)
        return max_name;
    std::array<std::array<size_t, max_name + 1>, max_name + 1> d{};
    for (size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({ d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost });
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

} // namespace

std::vector<const SlashCommand*> commands_with_prefix(std::string_view prefix)
{
    std::vector<const SlashCommand*> out;
    for (const SlashCommand& c : commands())
        if (c.name.starts_with(prefix) || (!c.alias.empty() && c.alias.starts_with(prefix)))
            out.push_back(&c);
    return out;
}

const SlashCommand* suggest_command(std::string_view name)
{
    if (name.empty())
        return nullptr;
    const SlashCommand* best = nullptr;
    size_t best_distance = 3; // at most two edits
    for (const SlashCommand& c : commands()) {
        for (std::string_view candidate : { c.name, c.alias }) {
            if (candidate.empty())
                continue;
            size_t d = edit_distance(name, candidate);
            if (d < best_distance && d < name.size()) {
                best = &c;
                best_distance = d;
            }
        }
    }
    if (best)
        return best;
    auto prefixed = commands_with_prefix(name);
    return prefixed.size() == 1 ? prefixed.front() : nullptr;
}

} // namespace ik::app
