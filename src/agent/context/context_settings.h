// ContextSettings — a session's context limits and compaction policy.
//
// Part of SessionSettings (session_types.h); built by the app from the model
// catalog and the config. Split from context_manager.h so that the settings
// can be named without the manager.
// Owns: its strings.
#pragma once

#include <cstddef>
#include <string>

#include "llm/catalog.h"

namespace ik::agent {

struct ContextSettings {
    llm::ModelLimits limits = llm::Catalog().lookup("");
    double threshold = 0.85;
    std::string summary_model; // the provider's model name; empty: the session's model
    size_t instructions_bytes = 0; // of the system prompt, the share that is AGENTS.md files
    std::string learned_path; // where learned windows are kept (learned_models.h); empty: nowhere
};

} // namespace ik::agent
