// The event schema: one record type per store::EventKind, in one home.
//
// Every writer (the turn loop, the session, the store's own partial and
// interrupted events) builds one of these and calls to_json(arena); every
// reader (resume, `ik sessions show`/`export`) calls parse(arena, data). A
// field is spelled once, here, so writers and readers cannot drift apart.
// docs/store.md lists the resulting JSON of each kind.
//
// The records live in the store module (level 1) rather than in the agent
// (level 3) because the store writes two kinds itself (assistant_partial,
// interrupted); they hold only plain values, no agent or llm types.
//
// Parsing is tolerant in the ways old databases need: a missing field takes
// its default, fields a newer writer added are simply absent in older
// events, and the few renamed fields are read under their old names too
// (see each parse()). A field that is present with the wrong type is an
// error naming the field: that is corruption, not an older format.
//
//   mem::Arena scratch(session_arena, "event");
//   std::string_view json = store::UserRecord{.text = prompt}.to_json(scratch);
//   TRY(store.append(id, store::UserRecord::kind, json));
//   ...
//   store::UserRecord u = TRY(store::UserRecord::parse(scratch, event.data));
//
// Each record has `static constexpr EventKind kind`, `to_json(arena)` and
// `static Result<R> parse(arena, data)`.
//
// Memory: records borrow their strings. to_json returns text in the arena it
// is given; parse returns views into the arena it is given (and into nothing
// else), valid until that arena is reset.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/arena.h"
#include "core/result.h"
#include "store/store.h"

namespace ik::store {

// What became of a tool call. A command that ran and exited non-zero `ran`
// (its exit code says how); `failed` means the tool could not do its work
// (bad arguments, a missing file, a timeout, a signal).
enum class ToolState : uint8_t { ran, denied, cancelled, failed };
std::string_view to_string(ToolState state);
std::optional<ToolState> parse_tool_state(std::string_view name);

// An image in a user message or a tool result, kept whole so a resumed
// session sends it again: base64 in the event's JSON (docs/store.md says what
// that costs). Written only when a message has images.
struct ImageRecord {
    std::string_view media_type{}; // "image/png" (from the file's magic bytes)
    std::string_view name{}; // "shot.png": for notes and `ik sessions show`
    std::string_view data{}; // base64
};

// A prompt the user sent. Starts an exchange.
struct UserRecord {
    std::string_view text{};
    std::span<const ImageRecord> images{}; // @path images
    static constexpr EventKind kind = EventKind::user;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<UserRecord> parse(mem::Arena& arena, std::string_view data);
};

// One call the model asked for; also the element of AssistantRecord::tool_calls.
struct ToolCallRecord {
    std::string_view id{};
    std::string_view name{};
    std::string_view arguments{}; // the JSON text exactly as the model produced it
    std::string_view signature{}; // Gemini's thoughtSignature on the call; written only when set
    static constexpr EventKind kind = EventKind::tool_call;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<ToolCallRecord> parse(mem::Arena& arena, std::string_view data);
};

// A web page a reply drew on (the provider's server-side search); an
// element of AssistantRecord::sources. Untrusted text, shown escaped.
struct SourceRecord {
    std::string_view url{};
    std::string_view title{};
};

// A finished model reply: what the next request replays.
struct AssistantRecord {
    std::string_view text{};
    std::string_view thinking{};
    std::string_view signature{}; // the provider's signature over `thinking`
    std::span<const ToolCallRecord> tool_calls{};
    std::string_view stop_reason{}; // llm::to_string(FinishReason)
    // The pages its web searches found, numbered from 1 as shown; written
    // only when there are some (older events have none). Never sent back.
    std::span<const SourceRecord> sources{};
    // As in InterruptedRecord: when `partials` is set, the reply's text is
    // its `assistant_partial` batches (those of `reply`) followed by `text`.
    // Store::end_reply() sets both for a reply longer than a batch, so a long
    // reply is not written twice; readers join with store::ReplyText.
    std::optional<int64_t> reply{};
    bool partials = false;
    static constexpr EventKind kind = EventKind::assistant;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<AssistantRecord> parse(mem::Arena& arena, std::string_view data);
};

// A batch of a reply's text, written by the store while the reply streams.
struct AssistantPartialRecord {
    int64_t reply = 0;
    std::string_view text{};
    static constexpr EventKind kind = EventKind::assistant_partial;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<AssistantPartialRecord> parse(mem::Arena& arena, std::string_view data);
};

struct ThinkingRecord {
    std::string_view text{};
    std::string_view signature{};
    static constexpr EventKind kind = EventKind::thinking;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<ThinkingRecord> parse(mem::Arena& arena, std::string_view data);
};

struct ToolResultRecord {
    std::string_view id{};
    std::string_view name{};
    std::string_view text{}; // what the model read
    bool is_error = false;
    std::string_view summary{}; // the one-line display text; never parsed
    ToolState state = ToolState::ran;
    std::optional<int64_t> exit_code{}; // bash: the command's exit status
    std::span<const ImageRecord> images{}; // read_file on an image, an MCP tool's images
    static constexpr EventKind kind = EventKind::tool_result;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<ToolResultRecord> parse(mem::Arena& arena, std::string_view data);
};

// One approval decision (agent/approval.h makes it).
struct ApprovalRecord {
    std::string_view call_id{};
    std::string_view tool{};
    std::string_view verdict{}; // "allow" | "deny" | "ask"
    std::string_view source{}; // "read_only" | "deny_rule" | … | "user"
    std::string_view rule{};
    std::string_view reason{};
    std::string_view command{}; // bash
    std::string_view path{}; // file tools
    static constexpr EventKind kind = EventKind::approval;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<ApprovalRecord> parse(mem::Arena& arena, std::string_view data);
};

// A slash command as typed.
struct CommandRecord {
    std::string_view text{};
    static constexpr EventKind kind = EventKind::command;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<CommandRecord> parse(mem::Arena& arena, std::string_view data);
};

// /mark. A mark names a point between exchanges: `exchanges` counts every
// exchange of the session before it (evicted ones included), so it survives
// eviction. Resume recomputes it from the events before the mark, which is
// how marks of older databases (without the field) load.
struct MarkRecord {
    std::string_view name{};
    std::optional<int64_t> exchanges{};
    static constexpr EventKind kind = EventKind::mark;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<MarkRecord> parse(mem::Arena& arena, std::string_view data);
};

// /rewind (to the mark event `to_seq`) or /clear (to_seq 0, name "clear").
struct RewindRecord {
    int64_t to_seq = 0;
    std::string_view name{};
    static constexpr EventKind kind = EventKind::rewind;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<RewindRecord> parse(mem::Arena& arena, std::string_view data);
};

// One model call's tokens. `cost_usd` is the cost at the prices of its time
// (absent in events written before ik knew prices); `purpose` is empty for a
// turn's round and "compaction" for a summary call.
struct UsageRecord {
    int64_t input = 0;
    int64_t output = 0;
    int64_t cached = 0;
    int64_t reasoning = 0;
    std::optional<double> cost_usd{};
    std::string_view purpose{};
    // The token estimator's bytes per token after this report, so that resume
    // estimates the next prompt as the live session would (absent before it was kept).
    std::optional<double> bytes_per_token{};
    static constexpr EventKind kind = EventKind::usage;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<UsageRecord> parse(mem::Arena& arena, std::string_view data);
};

// A turn that ended in an error; `category` is to_string(ErrorCode) or "limit".
struct ErrorRecord {
    std::string_view category{};
    std::string_view text{};
    static constexpr EventKind kind = EventKind::error;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<ErrorRecord> parse(mem::Arena& arena, std::string_view data);
};

// A reply that did not finish. Its text is `text` alone, or, when `partials`
// is set, the text of the reply's `assistant_partial` batches (those whose
// `reply` is this `reply`) followed by `text`: the batches already hold it
// durably, so it is not written a second time (store/reply_text.h
// joins them for readers). Events written before the field hold it all in
// `text`.
struct InterruptedRecord {
    std::string_view reason{};
    std::string_view text{};
    std::optional<int64_t> reply{}; // the store's reply id, when a reply was open
    bool partials = false; // the text begins in the reply's batches; written only when set
    static constexpr EventKind kind = EventKind::interrupted;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<InterruptedRecord> parse(mem::Arena& arena, std::string_view data);
};

struct SystemRecord {
    std::string_view text{};
    static constexpr EventKind kind = EventKind::system;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<SystemRecord> parse(mem::Arena& arena, std::string_view data);
};

// Memory-pressure eviction: the window now starts at exchange
// `first_exchange` (counted from the start of the session). Resume applies
// it instead of re-running the eviction, so the resumed window equals the
// one the model saw whatever memory.limit_mb is now.
struct EvictionRecord {
    int64_t first_exchange = 0;
    int64_t messages = 0; // how many messages left the window, for readers
    static constexpr EventKind kind = EventKind::eviction;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<EvictionRecord> parse(mem::Arena& arena, std::string_view data);
};

// One tool output compaction trimmed: message `index` of the window keeps its
// first `head` and last `tail` bytes, with a marker naming what was cut.
struct PruneRecord {
    int64_t index = 0;
    int64_t head = 0;
    int64_t tail = 0;
};

// Compaction (agent/context/): what the window became. The original events
// stay untouched; this says how the window the model saw was derived from
// them, so resume rebuilds exactly that window. Positions are indices into
// the window as it was just before (which replay rebuilds the same way):
// `prunes` first, then messages [0, cut) are replaced by one user message
// holding `summary` (cut 0: none).
struct CompactionRecord {
    std::string_view mode{}; // "prune" | "summary" | "sliding"
    int64_t cut = 0;
    std::string_view summary{};
    std::span<const PruneRecord> prunes{};
    int64_t before_tokens = 0; // estimates, for readers
    int64_t after_tokens = 0;
    std::string_view reason{}; // "threshold" | "requested" | "context_error"
    std::string_view focus{}; // /compact's argument; written only when set
    static constexpr EventKind kind = EventKind::compaction;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<CompactionRecord> parse(mem::Arena& arena, std::string_view data);
};

// One changed file of a checkpoint: "A", "M" or "D" and the path in the project.
struct CheckpointFile {
    std::string_view change{};
    std::string_view path{};
};

// A turn's checkpoint (agent/turn_checkpoint.h): the shadow repository's
// commits of the project before the turn's first mutating call (`pre`) and
// at its end (`post`), and the files that differ. `files` holds at most
// checkpoint_files_cap entries; `files_total` counts them all. Written by
// checkpoint_records.cc.
struct CheckpointRecord {
    std::string_view project{}; // the project directory the commits are of
    std::string_view pre{}; // 40 hex
    std::string_view post{}; // 40 hex
    std::string_view ref{}; // the shadow repository's name for it ("<time ms>-<session>-<seq>")
    std::string_view prompt{}; // the turn's prompt, its first line cut to 120 bytes
    std::span<const CheckpointFile> files{};
    int64_t files_total = 0;
    static constexpr EventKind kind = EventKind::checkpoint;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<CheckpointRecord> parse(mem::Arena& arena, std::string_view data);
};
inline constexpr size_t checkpoint_files_cap = 200;

// /undo or `ik undo`: the checkpoint event `checkpoint` (a seq) was undone,
// its files put back as they were before its turn.
struct UndoRecord {
    int64_t checkpoint = 0;
    int64_t files = 0; // written or removed
    bool forced = false; // over files changed after the turn
    static constexpr EventKind kind = EventKind::undo;
    std::string_view to_json(mem::Arena& arena) const;
    static Result<UndoRecord> parse(mem::Arena& arena, std::string_view data);
};

} // namespace ik::store
