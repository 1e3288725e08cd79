// The `compaction` store event: what the window became.
//
// Compaction never edits history: the original events stay in the store and
// this event says how the window the model saw was derived from them, so that
// resume (agent/replay.cc) rebuilds exactly that window. It names the window
// positions it acts on; the window before it is rebuilt by the same replay,
// so the positions mean the same thing live and on resume.
//
//   {"mode": "summary"|"sliding"|"prune", "cut": 40, "summary": "…",
//    "prunes": [[3, 512, 512], …], "before_tokens": 9800, "after_tokens": 5100,
//    "reason": "threshold"|"requested"|"context_error", "focus": "…"}
//
// Owns: its strings (a short-lived value).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/context/compaction_plan.h"
#include "core/result.h"

namespace ik::agent {

class Conversation;

enum class CompactionMode { prune, summary, sliding };
std::string_view to_string(CompactionMode mode);

struct CompactionRecord {
    CompactionMode mode = CompactionMode::prune;
    size_t cut = 0;
    std::string summary; // the text of the message that replaces [0, cut)
    std::vector<Prune> prunes;
    int64_t before_tokens = 0;
    int64_t after_tokens = 0;
    std::string reason;
    std::string focus;

    std::string to_json() const;
    static Result<CompactionRecord> parse(std::string_view json);
};

// The first line of every summary message in the window: how the model (and
// /context) tells a summary from a user message.
inline constexpr std::string_view summary_header = "[Summary of the earlier conversation, written by ik's compaction]";

// Applies `record` to the window: prunes, then the cut. Invalid positions
// (a store written by a different build) are skipped rather than trusted.
void apply_compaction(Conversation& conversation, const CompactionRecord& record);

} // namespace ik::agent
