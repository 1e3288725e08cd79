// The body of the four provider-decoder harnesses (*_decoder_fuzz.cc): the
// input is an SSE body, as a provider would send it (the seeds are the
// recorded streams of tests/data/streams/<format>/), fed through SseParser into
// that provider's StreamDecoder with a scratch arena reset after each event,
// as llm/internal/attempt.cc does. Properties: no crash, no sanitizer report,
// every view of every emitted event readable; errors are fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/arena.h"
#include "llm/provider.h"
#include "net/sse.h"

namespace ik::fuzz {

// Reads every byte an event points at, so ASan sees a dangling view.
struct TouchingSink final : llm::StreamSink {
    size_t bytes = 0;
    Result<void> on_event(const llm::Event& e) override
    {
        for (std::string_view s : { e.text, e.id, e.name, e.signature, e.model, e.response_id, e.raw_reason })
            for (char c : s)
                bytes += static_cast<unsigned char>(c) & 1U;
        return {};
    }
};

inline int fuzz_decoder(llm::WireFormat format, const uint8_t* data, size_t size)
{
    std::string_view body(reinterpret_cast<const char*>(data), size);
    mem::Arena turn(mem::root(), "fuzz-turn");
    mem::Arena scratch(turn, "fuzz-event");
    auto decoder = llm::provider_for(format).make_decoder(turn);
    net::SseParser sse(turn);
    TouchingSink sink;
    auto on = [&](const net::SseEvent& e) -> Result<void> {
        auto r = decoder->on_sse(e, scratch, sink);
        scratch.reset();
        return r;
    };
    if (sse.feed(body, on) && sse.finish(on))
        (void)decoder->on_end(scratch, sink);
    return 0;
}

} // namespace ik::fuzz
