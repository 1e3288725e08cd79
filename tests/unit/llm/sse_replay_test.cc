// The SSE parser (net/) under the providers' decoders: a recorded stream cut
// into chunks of any size decodes to exactly the same events.
#include <gtest/gtest.h>

#include "event_recorder.h"
#include "support/matchers.h"

namespace ik::llm {
namespace {

using ::ik::testing::IsOk;

TEST(SseParser, RecordedStreamsSplitAnywhereDecodeIdentically)
{
    for (auto [format, name] : { std::pair{ WireFormat::anthropic, "anthropic/thinking_tools.sse" },
             std::pair{ WireFormat::openai_chat, "openai_chat/compat_reasoning_no_done.sse" },
             std::pair{ WireFormat::gemini, "gemini/thinking_tools.sse" } }) {
        std::string body = testing::read_stream(name);
        auto whole = testing::replay(format, body);
        ASSERT_THAT(whole, IsOk());
        for (size_t chunk : { 1, 2, 3, 7, 64 })
            EXPECT_EQ(*testing::replay(format, body, chunk), *whole) << name << " chunk " << chunk;
    }
}

} // namespace
} // namespace ik::llm
