// A session model's limits: the catalog's answer, and for an Ollama model
// the server's own (llm/ollama_show.h).
//
// The Ollama server is asked once, when the session (or /model) picks the
// model, with a short timeout; what it says is kept in
// $XDG_STATE_HOME/ik/models.json like a learned window, so a server that does
// not answer next time leaves the last known window (else the catalog's). A
// window declared in config.json is never asked about: the user said so.
// Failing to ask is not the user's problem: with IK_DEBUG set, one line on
// stderr says why; otherwise nothing.
//
// Owns: nothing beyond its return value.
#pragma once

#include <chrono>

#include "config/config.h"
#include "config/model_spec.h"
#include "llm/catalog.h"

namespace ik::app {

inline constexpr std::chrono::milliseconds ollama_show_timeout{ 1000 };

llm::ModelLimits model_limits(const config::Config& cfg, const config::ResolvedModel& choice);

} // namespace ik::app
