// Compaction — what a compaction did to the window, and doing it again.
//
// Compaction never edits history: the original events stay in the store and
// a `compaction` event (store::CompactionRecord) says how the window the
// model saw was derived from them, so that resume (agent/replay.cc) rebuilds
// exactly that window. It names the window positions it acts on; the window
// before it is rebuilt by the same replay, so the positions mean the same
// thing live and on resume.
//
// Compaction is the owning form the ContextManager builds while a summary
// call runs; record() views it as the store's record.
//
// Owns: its strings (a short-lived value).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/context/compaction_plan.h"
#include "core/arena.h"
#include "store/records.h"

namespace ik::agent {

class Conversation;

enum class CompactionMode { prune, summary, sliding };
std::string_view to_string(CompactionMode mode);

struct Compaction {
    CompactionMode mode = CompactionMode::prune;
    size_t cut = 0;
    std::string summary; // the text of the message that replaces [0, cut)
    std::vector<Prune> prunes;
    int64_t before_tokens = 0;
    int64_t after_tokens = 0;
    std::string reason;
    std::string focus;

    // The store's record; its prunes live in `arena`, its strings here.
    store::CompactionRecord record(mem::Arena& arena) const;
    static Compaction from(const store::CompactionRecord& record);
};

// The first line of every summary message in the window: how the model (and
// /context) tells a summary from a user message.
inline constexpr std::string_view summary_header = "[Summary of the earlier conversation, written by ik's compaction]";

// Applies `compaction` to the window: prunes, then the cut. Invalid
// positions (a store written by a different build) are skipped rather than
// trusted.
void apply_compaction(Conversation& conversation, const Compaction& compaction);

// What messages_bytes() of the window will be once apply_compaction() has
// run, without changing it: the compaction event is written (with its token
// estimate) before the window changes, so a failed write leaves the live
// window as resume will rebuild it.
size_t compacted_bytes(std::span<const llm::Message> messages, const Compaction& compaction);

} // namespace ik::agent
