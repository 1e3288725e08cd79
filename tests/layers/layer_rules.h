// The module levels of design.md section 4, encoded once, and the rule that
// decides whether one file may include another module's header.
//
//   level 4  app
//   level 3  agent
//   level 2  llm, mcp
//   level 1  config, net, store, sandbox, tui, checkpoint
//   level 0  core
//
// A module includes itself and modules on lower levels only; tui includes only
// core (the app adapts the agent to the terminal); a module's `internal/`
// headers are included only from that module. Modules that do not exist yet
// (mcp) are listed so that they land on the right level.
//
// Everything here is plain values and views into the caller's strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ik::layers {

// The level of `module`, or nullopt for a name that is not a module.
std::optional<int> level_of(std::string_view module);

// One quoted include, split: `#include "llm/internal/wire.h"` is
// {module "llm", internal true}.
struct Include {
    std::string module; // the first path component
    bool internal = false; // the path has an `internal/` component
    std::string text; // the whole quoted path, for messages
};

// The quoted includes of a source text whose first component is a module
// (includes of "support/…", "unit/…" or a sibling file are not modules').
std::vector<Include> module_includes(std::string_view source);

// Why `from_module` may not include `inc`, or empty when it may.
std::string violation(std::string_view from_module, const Include& inc);

} // namespace ik::layers
