#include "config/internal/suggest.h"

#include <algorithm>
#include <vector>

namespace ik::config::internal {

std::string_view closest(std::string_view key, std::initializer_list<std::string_view> candidates)
{
    std::string_view best;
    size_t best_distance = std::max<size_t>(2, key.size() / 3) + 1;
    for (std::string_view c : candidates) {
        size_t d = edit_distance(key, c);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

std::optional<UnknownKey> unknown_key(const json::object& obj, std::initializer_list<std::string_view> known)
{
    for (const auto& kv : obj) {
        std::string_view key(kv.key().data(), kv.key().size());
        if (std::find(known.begin(), known.end(), key) == known.end())
            return UnknownKey{ key, closest(key, known) };
    }
    return std::nullopt;
}

} // namespace ik::config::internal
