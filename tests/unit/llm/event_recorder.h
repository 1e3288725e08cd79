// Test helpers: an StreamSink that records each normalized event as one line
// of text ("text Hello", "tool_start 0 call_1 get_weather"), and a replay of
// a recorded .sse body through net::SseParser + a provider's decoder.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/arena.h"
#include "core/result.h"
#include "llm/provider.h"
#include "net/sse.h"

namespace ik::llm::testing {

inline std::string describe(const Event& e)
{
    switch (e.kind) {
    case StreamEventKind::start:
        return fmt::format("start model={} id={}", e.model, e.response_id);
    case StreamEventKind::text_delta:
        return fmt::format("text {}", e.text);
    case StreamEventKind::thinking_delta:
        return e.signature.empty() ? fmt::format("thinking {}", e.text) : fmt::format("signature {}", e.signature);
    case StreamEventKind::tool_call_start:
        return e.signature.empty() ? fmt::format("tool_start {} {} {}", e.index, e.id, e.name)
                                   : fmt::format("tool_start {} {} {} sig={}", e.index, e.id, e.name, e.signature);
    case StreamEventKind::tool_call_delta:
        return fmt::format("tool_delta {} {}", e.index, e.text);
    case StreamEventKind::tool_call_end:
        return fmt::format("tool_end {}", e.index);
    case StreamEventKind::usage:
        return fmt::format("usage in={} out={} cached={} reasoning={}", e.usage.input, e.usage.output, e.usage.cached,
            e.usage.reasoning);
    case StreamEventKind::finish:
        return fmt::format(
            "finish {} {}{}", to_string(e.finish), e.raw_reason, e.cut_tool_call ? " cut_tool_call" : "");
    case StreamEventKind::error:
        return fmt::format("error {} {}", to_string(e.error_code), e.text);
    case StreamEventKind::search:
        return e.raw_reason.empty() ? fmt::format("search {}", e.text)
                                    : fmt::format("search {} error={}", e.text, e.raw_reason);
    case StreamEventKind::source:
        return fmt::format("source {} {} {}", e.index == 1 ? "cited" : "found", e.text, e.name);
    }
    return "?";
}

class EventRecorder final : public StreamSink {
public:
    Result<void> on_event(const Event& event) override
    {
        lines.push_back(describe(event));
        return {};
    }
    std::vector<std::string> lines;
};

inline std::string read_stream(std::string_view name)
{
    std::ifstream in(std::string(IK_TEST_DATA_DIR) + "/streams/" + std::string(name), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Feeds `body` in pieces of `chunk` bytes (0: all at once).
inline Result<std::vector<std::string>> replay(WireFormat format, std::string_view body, size_t chunk = 0)
{
    mem::Arena turn(mem::root(), "turn");
    mem::Arena scratch(turn, "event");
    auto decoder = provider_for(format).make_decoder(turn);
    EventRecorder rec;
    net::SseParser sse(turn);
    auto on = [&](const net::SseEvent& e) -> Result<void> {
        auto r = decoder->on_sse(e, scratch, rec);
        scratch.reset();
        return r;
    };
    size_t step = chunk ? chunk : body.size();
    for (size_t at = 0; at < body.size(); at += step)
        TRY(sse.feed(body.substr(at, step), on));
    TRY(sse.finish(on));
    TRY(decoder->on_end(scratch, rec));
    return rec.lines;
}

// Replays the recorded stream `name` whole and fed in `chunk`-byte pieces;
// both must give the `expected` event lines.
inline void expect_stream(
    WireFormat format, std::string_view name, const std::vector<std::string>& expected, size_t chunk)
{
    std::string body = read_stream(name);
    ASSERT_FALSE(body.empty()) << name;
    auto got = replay(format, body);
    ASSERT_TRUE(got.has_value()) << got.error().to_string();
    EXPECT_EQ(*got, expected) << name;
    auto split = replay(format, body, chunk);
    ASSERT_TRUE(split.has_value());
    EXPECT_EQ(*split, expected) << name << " fed in " << chunk << "-byte chunks";
}

} // namespace ik::llm::testing
