// libFuzzer harness: arbitrary bytes through SseParser (split at a point
// chosen by the input) and every provider's decoder. Must never crash, leak
// or trip a sanitizer; errors are fine. Build: -DIK_FUZZ=ON with clang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/arena.h"
#include "llm/provider.h"
#include "llm/sse.h"

namespace {
struct NullSink final : ik::llm::EventSink {
    ik::Result<void> on_event(const ik::llm::Event&) override { return {}; }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace ik;
    if (size == 0)
        return 0;
    auto format = static_cast<llm::WireFormat>(data[0] % 4);
    std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    size_t cut = body.empty() ? 0 : data[0] % (body.size() + 1);
    mem::Arena turn(mem::root(), "fuzz");
    mem::Arena scratch(turn, "event");
    auto decoder = llm::provider_for(format).make_decoder(turn);
    llm::SseParser sse(turn);
    NullSink sink;
    auto on = [&](const llm::SseEvent& e) -> Result<void> {
        auto r = decoder->on_sse(e, scratch, sink);
        scratch.reset();
        return r;
    };
    if (sse.feed(body.substr(0, cut), on) && sse.feed(body.substr(cut), on) && sse.finish(on))
        (void)decoder->on_end(scratch, sink);
    return 0;
}
