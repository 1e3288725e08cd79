// libFuzzer harness for the terminal key decoder (tui/keys.h and
// tui/internal/key_sequences). The first input byte picks where the bytes are
// cut in two, as a read() may cut them. Properties: no crash, no sanitizer
// report; the events are the same whole or cut; and no Text event carries a
// control byte (a malformed sequence must be swallowed, never typed into the
// editor where it could reach the terminal).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "tui/keys.h"

namespace {

using ik::tui::Key;
using ik::tui::KeyDecoder;
using ik::tui::KeyEvent;

std::string decode(std::string_view bytes, size_t cut)
{
    KeyDecoder decoder;
    std::vector<KeyEvent> events;
    auto now = KeyDecoder::Clock::time_point{}; // one instant: nothing expires between the pieces
    decoder.feed(bytes.substr(0, cut), events, now);
    decoder.feed(bytes.substr(cut), events, now);
    decoder.flush_pending(events);
    std::string log;
    for (const KeyEvent& e : events) {
        if (e.key == Key::Text)
            for (char c : e.text)
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                    std::abort();
        // Adjacent Text events may merge or not depending on the cut; compare
        // the text, not its grouping.
        if (e.key != Key::Text)
            log += '\n' + std::to_string(static_cast<int>(e.key)) + ':' + std::to_string(e.mods) + ':'
                + std::to_string(static_cast<uint32_t>(e.ch)) + ':' + std::to_string(e.number) + ':'
                + std::to_string(e.x) + ':' + std::to_string(e.y) + ':';
        log += e.text;
    }
    return log;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    size_t cut = (data[0] * bytes.size()) / 255;
    if (decode(bytes, bytes.size()) != decode(bytes, cut))
        std::abort();
    return 0;
}
