// libFuzzer harness for net::SseParser.
//
// The first input byte picks where the body is cut in two; the rest is the
// body. Properties: no crash, no sanitizer report, and the events (type,
// data, id) and the retry value are the same whether the body arrives whole
// or cut there: a network read may split a stream anywhere.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/arena.h"
#include "net/sse.h"

namespace {

// Every dispatched event, flattened; also proves each view is readable.
std::string parse(ik::mem::Arena& arena, std::string_view body, size_t cut, int64_t& retry_ms)
{
    ik::net::SseParser sse(arena, 64);
    std::string log;
    auto on = [&](const ik::net::SseEvent& e) -> ik::Result<void> {
        log.append(e.type).push_back('\0');
        log.append(e.data).push_back('\0');
        log.append(e.id).push_back('\n');
        return {};
    };
    if (!sse.feed(body.substr(0, cut), on) || !sse.feed(body.substr(cut), on) || !sse.finish(on))
        std::abort(); // the callback never fails, so neither may the parser
    retry_ms = sse.retry_ms();
    return log;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    size_t cut = (data[0] * body.size()) / 255;
    ik::mem::Arena arena(ik::mem::root(), "fuzz");
    int64_t retry_whole = 0, retry_cut = 0;
    std::string whole = parse(arena, body, body.size(), retry_whole);
    std::string split = parse(arena, body, cut, retry_cut);
    if (whole != split || retry_whole != retry_cut)
        std::abort();
    return 0;
}
