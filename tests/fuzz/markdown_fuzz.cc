// libFuzzer harness for the Markdown renderer (tui/markdown.h) and its
// streaming form (tui/markdown_stream.h). The first input byte picks the delta
// size; the rest is the reply. Properties: no crash, no sanitizer report,
// and streaming the reply in deltas gives exactly the lines of streaming it in
// one piece (what markdown_stream.h promises).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/arena.h"
#include "tui/markdown.h"
#include "tui/markdown_stream.h"
#include "tui/scrollback.h"

namespace {

std::string flatten(const ik::tui::LineView& line)
{
    std::string out(line.prefix_text);
    out += '|';
    out += line.text;
    for (const auto& s : line.spans)
        out += ':' + std::to_string(s.begin) + '-' + std::to_string(s.end);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace ik::tui;
    if (size == 0)
        return 0;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    size_t step = 1 + data[0] % 64;

    StyledLines lines;
    RenderState state;
    render_markdown(text, lines, state);

    ik::mem::Arena arena(ik::mem::root(), "fuzz");
    Scrollback whole(arena);
    Scrollback deltas(arena);
    {
        MarkdownStream stream(whole);
        stream.append(text);
        stream.finish();
    }
    {
        MarkdownStream stream(deltas);
        for (size_t at = 0; at < text.size(); at += step)
            stream.append(text.substr(at, step));
        stream.finish();
    }
    if (whole.line_count() != deltas.line_count())
        std::abort();
    for (size_t i = 0; i < whole.line_count(); ++i)
        if (flatten(whole.line(i)) != flatten(deltas.line(i)))
            std::abort();
    return 0;
}
