// `ik undo` and the text /undo and /checkpoints show (docs/safety.md).
//
// The work itself is agent::Undo (agent/undo.h); this file adds the command
// line's choices (which session, --force) and the words around it.
#pragma once

#include <span>
#include <string>

#include "agent/undo.h"
#include "app/cli.h"

namespace ik::app {

// ik undo [--session ID] [--force]: exit_ok, exit_nothing (no checkpoint
// left), exit_refused (files changed after the turn, no --force), or the
// usual config/store codes.
int run_undo_command(const CliOptions& options);

// "Undid "fix the build": 3 files restored (M a.c, D b.c, A c.c)."
std::string undo_done_text(const agent::Undo& undo, size_t files);
// The files changed after the turn, for the question or the refusal: at
// most ten names, then "and N more".
std::string conflict_list(const agent::Undo& undo);
// /checkpoints: one line per checkpoint, newest last.
std::string checkpoints_text(std::span<const agent::CheckpointEntry> entries);
// "12.5 MB" (one decimal below 100, none above), "900 KB", "512 B".
std::string human_bytes(uint64_t bytes);

} // namespace ik::app
