// LLM stream decoding: SSE parsing + per-event JSON parsing + mapping onto
// normalized events, replayed from memory (no network).
//
//  * BM_Recorded/<provider>: every recorded stream in tests/data/streams/<p>/,
//    a fresh decoder per response, body fed in 1400-byte pieces (a TCP
//    segment's worth). Bytes/s is the SSE + JSON decode throughput.
//  * BM_Steady/<provider>: one long reply of 2000 four-character text deltas
//    in the provider's real delta shape. Besides throughput it counts heap
//    allocations (global operator new + arena upstream mallocs) made while
//    the middle 90% of the deltas stream through: the counter
//    heap_allocs_per_delta must be 0. IK_BENCH_TRAP=1 aborts at the first
//    steady-state allocation: run it under gdb to see who allocated.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/arena.h"
#include "llm/provider.h"
#include "net/sse.h"

namespace {
size_t g_news = 0;
bool g_trap = false;
} // namespace

// GCC inlines these replacements and then mistakes malloc/free pairs for a
// new/free mismatch; the pairing here is correct by construction.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Counting global allocator for this binary only.
void* operator new(size_t n)
{
    ++g_news;
    if (g_trap)
        std::abort();
    if (void* p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void* operator new[](size_t n)
{
    return ::operator new(n);
}
void* operator new(size_t n, std::align_val_t a)
{
    ++g_news;
    size_t al = static_cast<size_t>(a);
    if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al))
        return p;
    throw std::bad_alloc();
}
void* operator new[](size_t n, std::align_val_t a)
{
    return ::operator new(n, a);
}
void operator delete(void* p) noexcept
{
    std::free(p);
}
void operator delete[](void* p) noexcept
{
    std::free(p);
}
void operator delete(void* p, size_t) noexcept
{
    std::free(p);
}
void operator delete[](void* p, size_t) noexcept
{
    std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept
{
    std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept
{
    std::free(p);
}
void operator delete(void* p, size_t, std::align_val_t) noexcept
{
    std::free(p);
}
void operator delete[](void* p, size_t, std::align_val_t) noexcept
{
    std::free(p);
}

namespace {

using namespace ik;
using llm::WireFormat;

constexpr size_t segment = 1400;

struct CountingSink final : llm::StreamSink {
    size_t events = 0, text_bytes = 0;
    Result<void> on_event(const llm::Event& e) override
    {
        ++events;
        text_bytes += e.text.size();
        return {};
    }
};

size_t heap_calls()
{
    return g_news + mem::upstream_calls();
}

const char* dir_of(WireFormat f)
{
    return f == WireFormat::openai_chat     ? "openai_chat"
        : f == WireFormat::openai_responses ? "openai_responses"
        : f == WireFormat::anthropic        ? "anthropic"
                                            : "gemini";
}

std::vector<std::string> recorded(WireFormat f)
{
    std::vector<std::string> out;
    for (auto& e : std::filesystem::directory_iterator(
             std::filesystem::path(__FILE__).parent_path() / "../tests/data/streams" / dir_of(f))) {
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        out.push_back(ss.str());
    }
    return out;
}

// Decodes `body` from [from, to) of its bytes; the caller owns the objects.
struct Session {
    mem::Arena turn{ mem::root(), "turn", { .block_size = 64 * 1024 } };
    mem::Arena scratch{ turn, "event", { .block_size = 64 * 1024 } };
    std::unique_ptr<llm::StreamDecoder> decoder;
    net::SseParser sse{ turn };
    CountingSink sink;
    explicit Session(WireFormat f)
        : decoder(llm::provider_for(f).make_decoder(turn))
    {
    }
    void feed(std::string_view bytes)
    {
        auto on = [&](const net::SseEvent& e) -> Result<void> {
            auto r = decoder->on_sse(e, scratch, sink);
            scratch.reset();
            return r;
        };
        for (size_t at = 0; at < bytes.size(); at += segment)
            if (!sse.feed(bytes.substr(at, segment), on))
                std::abort();
    }
    void end()
    {
        auto on = [&](const net::SseEvent& e) -> Result<void> { return decoder->on_sse(e, scratch, sink); };
        if (!sse.finish(on) || !decoder->on_end(scratch, sink))
            std::abort();
    }
};

void BM_Recorded(benchmark::State& state, WireFormat f)
{
    auto bodies = recorded(f);
    size_t bytes = 0;
    for (auto& b : bodies)
        bytes += b.size();
    for (auto _ : state) {
        for (auto& b : bodies) {
            Session s(f);
            s.feed(b);
            s.end();
            benchmark::DoNotOptimize(s.sink.events);
        }
    }
    state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
}

struct Long {
    std::string head, delta, tail;
};

Long shape(WireFormat f)
{
    switch (f) {
    case WireFormat::openai_chat:
        return {
            R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]})"
            "\n\n",
            R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_fc9f1d7035","choices":[{"index":0,"delta":{"content":"abcd"},"logprobs":null,"finish_reason":null}],"usage":null})"
            "\n\n",
            R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
            "\n\ndata: [DONE]\n\n"
        };
    case WireFormat::openai_responses:
        return { "event: response.created\ndata: "
                 "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-4.1\"}}\n\n",
            "event: response.output_text.delta\ndata: "
            "{\"type\":\"response.output_text.delta\",\"sequence_number\":42,\"item_id\":\"msg_"
            "67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654\",\"output_index\":0,\"content_index\":0,\"delta\":"
            "\"abcd\",\"logprobs\":[]}\n\n",
            "event: response.completed\ndata: "
            "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"usage\":{"
            "\"input_tokens\":5,\"output_tokens\":2000}}}\n\n" };
    case WireFormat::anthropic:
        return {
            "event: message_start\ndata: "
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-5\",\"usage\":{"
            "\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
            "event: content_block_start\ndata: "
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: content_block_delta\ndata: "
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"abcd\"}}\n\n",
            "event: message_delta\ndata: "
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2000}}"
            "\n\n"
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        };
    case WireFormat::gemini:
        return { "",
            R"(data: {"candidates": [{"content": {"parts": [{"text": "abcd"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 9,"totalTokenCount": 9},"modelVersion": "gemini-2.5-flash","responseId": "mWzXaMnNFe2hz7IPy9ybkQU"})"
            "\n\n",
            R"(data: {"candidates": [{"content": {"parts": [{"text": "."}],"role": "model"},"finishReason": "STOP","index": 0}],"modelVersion": "gemini-2.5-flash"})"
            "\n\n" };
    }
    return {};
}

void BM_Steady(benchmark::State& state, WireFormat f)
{
    constexpr size_t deltas = 2000;
    Long s = shape(f);
    std::string body = s.head;
    for (size_t i = 0; i < deltas; ++i)
        body += s.delta;
    size_t warm = s.head.size() + s.delta.size() * (deltas / 10);
    size_t steady_end = s.head.size() + s.delta.size() * deltas;
    body += s.tail;
    size_t steady_allocs = 0, runs = 0;
    for (auto _ : state) {
        Session session(f);
        session.feed(std::string_view(body).substr(0, warm));
        size_t before = heap_calls();
        g_trap = std::getenv("IK_BENCH_TRAP") != nullptr;
        session.feed(std::string_view(body).substr(warm, steady_end - warm));
        g_trap = false;
        steady_allocs += heap_calls() - before;
        session.feed(std::string_view(body).substr(steady_end));
        session.end();
        ++runs;
        if (session.sink.text_bytes < deltas * 4)
            state.SkipWithError("lost text");
    }
    state.SetBytesProcessed(static_cast<int64_t>(body.size() * state.iterations()));
    state.counters["heap_allocs_per_delta"]
        = static_cast<double>(steady_allocs) / static_cast<double>(runs * (deltas - deltas / 10));
    state.counters["steady_heap_allocs"] = static_cast<double>(steady_allocs);
}

BENCHMARK_CAPTURE(BM_Recorded, openai_chat, WireFormat::openai_chat);
BENCHMARK_CAPTURE(BM_Recorded, openai_responses, WireFormat::openai_responses);
BENCHMARK_CAPTURE(BM_Recorded, anthropic, WireFormat::anthropic);
BENCHMARK_CAPTURE(BM_Recorded, gemini, WireFormat::gemini);
BENCHMARK_CAPTURE(BM_Steady, openai_chat, WireFormat::openai_chat);
BENCHMARK_CAPTURE(BM_Steady, openai_responses, WireFormat::openai_responses);
BENCHMARK_CAPTURE(BM_Steady, anthropic, WireFormat::anthropic);
BENCHMARK_CAPTURE(BM_Steady, gemini, WireFormat::gemini);

} // namespace

BENCHMARK_MAIN();
