// A WHATWG server-sent-events parser (HTML "event stream interpretation").
//
// Bytes arrive in chunks split anywhere: inside a UTF-8 sequence, between CR
// and LF, inside a field name. The parser keeps the unfinished line and the
// event being assembled; each blank line dispatches it as an net::SseEvent.
//
// Rules: LF, CR and CRLF end lines; a line starting with ':' is a comment;
// "name: value" sets a field (one leading space of the value is dropped); a
// line without ':' is a field with an empty value; `data` lines are joined
// with '\n'; `event` sets the type (default "message"); `id` sets the last
// event id (kept across events; ignored if it contains NUL); `retry` with
// only digits sets retry_ms(); other fields are ignored; a leading UTF-8 BOM
// is skipped. An event with no `data` line at all is not dispatched ("data:"
// alone dispatches an event whose data is empty, as the spec says).
//
// End of body (our choice, deliberately unlike the spec, which discards it):
// finish() treats an unterminated last line as complete and DELIVERS a pending
// event that lacks its closing blank line. Servers that close the connection
// right after the last `data:` line (several OpenAI-compatible servers do)
// would otherwise lose their final chunk, often the one carrying usage.
//
//   mem::Arena turn(root, "turn");
//   net::SseParser sse(turn);
//   TRY(sse.feed(chunk, [&](const net::SseEvent& e) { return decoder.on_sse(e, scratch, sink); }));
//   ...
//   TRY(sse.finish(same_callback));
//
// Caps (limits.sse_line_kb, limits.sse_event_kb): a line, or an event's
// joined data, longer than its cap stops the parse with
// ErrorCode::cap_exceeded before the excess is buffered, so a body that never
// sends a newline costs at most one line's cap of memory.
//
// Lines that are not SSE fields (no known field name: a raw JSON error object
// a server appends after the events, or an HTML page served with status 200)
// are ignored by the spec; the parser keeps the first 64 KiB of them in
// stray() so the client can report what the server really sent.
//
// Borrows `arena` (it must outlive the parser): the line, data, type and id
// buffers are pmr strings in it, reserved once and reused, so steady-state
// parsing performs no heap allocation. A buffer that must grow leaves its old
// block in the arena until the arena is reset. Views in an SseEvent are valid
// only during the callback.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/arena.h"
#include "core/result.h"

namespace ik::net {

// One dispatched server-sent event. Views valid during the callback only.
struct SseEvent {
    std::string_view type; // the `event:` field; "message" when absent
    std::string_view data; // `data:` lines joined with '\n'
    std::string_view id;
};

class SseParser {
public:
    // Type-erased borrowed callback; a callback error stops the parse.
    using Callback = Result<void> (*)(void* context, const SseEvent& event);

    struct Limits {
        size_t line_bytes = size_t{ 4 } << 20; // one line, field name included
        size_t event_bytes = size_t{ 4 } << 20; // one event's data lines, joined
    };

    explicit SseParser(mem::Arena& arena, size_t reserve = 4096);
    SseParser(mem::Arena& arena, Limits limits, size_t reserve = 4096);

    Result<void> feed(std::string_view bytes, Callback callback, void* context);
    Result<void> finish(Callback callback, void* context);

    template <typename F>
    requires(!std::is_pointer_v<std::remove_cvref_t<F>>) Result<void> feed(std::string_view bytes, F&& f)
    {
        return feed(bytes, &invoke<std::remove_reference_t<F>>, static_cast<void*>(&f));
    }
    template <typename F>
    requires(!std::is_pointer_v<std::remove_cvref_t<F>>) Result<void> finish(F&& f)
    {
        return finish(&invoke<std::remove_reference_t<F>>, static_cast<void*>(&f));
    }

    // The last `retry:` value in milliseconds, or -1 if none was sent.
    int64_t retry_ms() const { return m_retry_ms; }
    std::string_view last_event_id() const { return m_id; }
    // Lines that were not SSE fields, each followed by '\n' (capped at 64 KiB).
    std::string_view stray() const { return m_stray; }
    // Events dispatched since the last reset().
    size_t events() const { return m_events; }
    // Forget everything (a new response on the same parser).
    void reset();

private:
    template <typename F> static Result<void> invoke(void* context, const SseEvent& event)
    {
        return (*static_cast<F*>(context))(event);
    }
    Result<void> line(std::string_view text, Callback callback, void* context);
    Result<void> dispatch(Callback callback, void* context);
    Result<void> append_line(std::string_view bytes);
    void keep_stray(std::string_view text);

    std::pmr::string m_line; // an unfinished line carried over between chunks
    std::pmr::string m_data; // data lines joined with '\n'
    std::pmr::string m_type; // the `event` field of the event being built
    std::pmr::string m_id; // the last event id
    std::pmr::string m_stray; // non-field lines, capped (see stray())
    Limits m_limits;
    size_t m_events = 0;
    int64_t m_retry_ms = -1;
    bool m_has_data = false; // a data line was seen for this event
    bool m_after_cr = false; // the previous chunk ended in CR: skip a leading LF
    bool m_first_line = true; // a BOM may still start the stream
};

} // namespace ik::net
