// "Did you mean" for unknown config keys: the closest known key by edit
// distance, if it is close enough to be a plausible typo.
#pragma once

#include <initializer_list>
#include <string_view>

namespace ik::config::internal {

size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `key` within distance max(2, len/3), or "".
std::string_view closest(std::string_view key, std::initializer_list<std::string_view> candidates);

} // namespace ik::config::internal
