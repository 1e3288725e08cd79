// How many edits apart two short strings are: the optimal string alignment
// distance (insert, delete, substitute, or swap two neighbours, so "modle"
// is one edit from "model"). For "did you mean" suggestions over names
// (config keys, model names, slash commands); quadratic, not for long text.
#pragma once

#include <cstddef>
#include <string_view>

namespace ik {

size_t edit_distance(std::string_view a, std::string_view b);

} // namespace ik
