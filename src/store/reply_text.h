// ReplyText — the whole text of a reply that refers to its batches, for readers.
//
// The event that ends a long reply (`assistant`) or an interrupted one
// (`interrupted`) refers to the reply's `assistant_partial` batches instead
// of repeating their text (records.h, `partials`): the batches are already
// durable, and repeating them cost a second JSON value and a second row of
// up to limits.reply_mb. Readers that show or replay history feed every
// event to this joiner in seq order; it keeps the batches of the reply that
// is open (a session's replies follow one another: one process holds a
// session), and text() returns the batches followed by the event's own text.
// Events written before `partials` existed carry all of it in `text`.
//
//   store::ReplyText joiner(scratch_parent);
//   load_events(id, 0, [&](const Event& e) {
//       if (TRY(joiner.take(scratch, e)))
//           return {};                       // a batch: kept, nothing to show
//       if (e.kind == EventKind::assistant)
//           show(joiner.text(TRY(AssistantRecord::parse(scratch, e.data))));
//   });
//
// Owns: the open reply's joined batches, in a child arena of `parent`
// (freed when the reply ends). Returned views are valid until the next take().
#pragma once

#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string_view>

#include "core/arena.h"
#include "core/result.h"
#include "store/records.h"
#include "store/store.h"

namespace ik::store {

class ReplyText {
public:
    explicit ReplyText(mem::Arena& parent);
    ~ReplyText();
    ReplyText(const ReplyText&) = delete;
    ReplyText& operator=(const ReplyText&) = delete;

    // Call for every event, in order. True when `e` was a batch (kept here);
    // an `assistant` or `interrupted` event ends the open reply after it
    // (its text() may still be asked for). `scratch` is only used during the call.
    Result<bool> take(mem::Arena& scratch, const Event& e);
    // The reply's whole text: its batches (when `partials`) then its own
    // text. Views into this object or the record.
    std::string_view text(const AssistantRecord& r) { return join(r.text, r.reply, r.partials); }
    std::string_view text(const InterruptedRecord& r) { return join(r.text, r.reply, r.partials); }

private:
    std::string_view join(std::string_view own, std::optional<int64_t> reply, bool partials);
    void clear();

    mem::Arena& m_parent;
    mem::Arena* m_arena = nullptr;
    std::pmr::string* m_text = nullptr;
    int64_t m_reply = 0;
    bool m_ended = false;
    bool m_joined = false;
};

} // namespace ik::store
