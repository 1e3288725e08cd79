// `ik models`: the model catalog as a table — the built-in models, the
// config's additions and the windows learned in earlier runs, each with its
// context window, maximum output, prices (US dollars per million tokens:
// input, output, cache read, cache write), capabilities and where the numbers
// came from. Prices are approximate; the footer says so and names the pages.
#pragma once

#include <cstdio>
#include <span>

#include "llm/catalog.h"

namespace ik::app {

// Prints `models` as a table to `out`.
void print_models(std::span<const llm::ModelLimits> models, std::FILE* out);

// Loads the config (for its "models" entries) and prints the catalog.
int run_models_command();

} // namespace ik::app
