// InterruptedText — the whole text of an interrupted reply, for readers.
//
// An `interrupted` event written by this version refers to the reply's
// `assistant_partial` batches instead of repeating their text (records.h,
// InterruptedRecord::partials): the batches are already durable, and
// repeating them cost a read-back, a join and a second write of up to
// limits.reply_mb. Readers that show or replay history feed every event to
// this joiner in seq order; it keeps the batches of the reply that is open
// (a session's replies follow one another: one process holds a session), and
// text() returns the batches followed by the event's own text. Events
// written before `partials` existed carry all of it in `text`.
//
//   store::InterruptedText joiner(scratch_parent);
//   load_events(id, 0, [&](const Event& e) {
//       if (TRY(joiner.take(scratch, e)))
//           return {};                       // a batch: kept, nothing to show
//       if (e.kind == EventKind::interrupted)
//           show(joiner.text(TRY(InterruptedRecord::parse(scratch, e.data))));
//   });
//
// Owns: the open reply's joined batches, in a child arena of `parent`
// (freed when the reply ends). Returned views are valid until the next take().
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string_view>

#include "core/arena.h"
#include "core/result.h"
#include "store/records.h"
#include "store/store.h"

namespace ik::store {

class InterruptedText {
public:
    explicit InterruptedText(mem::Arena& parent);
    ~InterruptedText();
    InterruptedText(const InterruptedText&) = delete;
    InterruptedText& operator=(const InterruptedText&) = delete;

    // Call for every event, in order. True when `e` was a batch (kept here);
    // an `assistant` event ends the open reply. `scratch` is only used
    // during the call.
    Result<bool> take(mem::Arena& scratch, const Event& e);
    // The reply's whole text: its batches (when `r.partials`) then `r.text`.
    // Ends the open reply after the next take(). Views into this object or `r`.
    std::string_view text(const InterruptedRecord& r);

private:
    void clear();

    mem::Arena& m_parent;
    mem::Arena* m_arena = nullptr;
    std::pmr::string* m_text = nullptr;
    int64_t m_reply = 0;
    bool m_ended = false;
};

} // namespace ik::store
