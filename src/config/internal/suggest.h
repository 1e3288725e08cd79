// "Did you mean" for unknown config keys: the closest known key by edit
// distance, if it is close enough to be a plausible typo.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include "core/edit_distance.h"
#include "core/json.h"

namespace ik::config::internal {

using ik::edit_distance;

// The candidate nearest to `key` within distance max(2, len/3), or "".
std::string_view closest(std::string_view key, std::initializer_list<std::string_view> candidates);

// The first key of `obj` not in `known`, with closest()'s suggestion for it
// (empty when none is near); nullopt when every key is known.
struct UnknownKey {
    std::string_view key;
    std::string_view hint;
};
std::optional<UnknownKey> unknown_key(const json::object& obj, std::initializer_list<std::string_view> known);

} // namespace ik::config::internal
