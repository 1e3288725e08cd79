// Input editor costs: a 1 MB bracketed paste decoded and inserted, and one
// keypress (edit + full re-layout) on buffers of growing size.
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tui/editor.h"
#include "tui/input_handler.h"
#include "tui/keys.h"

using namespace ik::tui;

namespace {

std::string mixed_text(size_t size)
{
    std::string s;
    while (s.size() < size)
        s += "let greeting = \"hello 日本 😀\"; // e\xCC\x81 note\r";
    return s;
}

void BM_PasteDecodeInsert(benchmark::State& state)
{
    std::string body = mixed_text(1 << 20);
    std::string bytes = "\x1b[200~" + body + "\x1b[201~";
    for (auto _ : state) {
        Editor editor;
        History history;
        InputHandler handler(editor, history);
        KeyDecoder decoder;
        std::vector<KeyEvent> events;
        for (size_t at = 0; at < bytes.size(); at += 4096) {
            decoder.feed(std::string_view(bytes).substr(at, 4096), events);
            for (const auto& e : events)
                handler.handle(e);
            events.clear();
        }
        benchmark::DoNotOptimize(editor.text().size());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_PasteDecodeInsert)->Unit(benchmark::kMillisecond);

void BM_PasteLayout(benchmark::State& state)
{
    Editor editor;
    editor.insert_paste(mixed_text(1 << 20));
    for (auto _ : state)
        benchmark::DoNotOptimize(editor.layout(ik::utf8::Columns(120)).rows.size());
}
BENCHMARK(BM_PasteLayout)->Unit(benchmark::kMillisecond);

// One typed character in the middle of the buffer, then Backspace, each
// followed by the layout a renderer would ask for.
void BM_KeypressEditAndLayout(benchmark::State& state)
{
    Editor editor;
    editor.insert_paste(mixed_text(static_cast<size_t>(state.range(0))));
    editor.set_cursor(ik::utf8::Bytes(editor.text().size() / 2));
    for (auto _ : state) {
        editor.insert("x");
        benchmark::DoNotOptimize(editor.layout(ik::utf8::Columns(120)).cursor_row);
        editor.delete_backward();
        benchmark::DoNotOptimize(editor.layout(ik::utf8::Columns(120)).cursor_row);
    }
    state.SetLabel("2 keypresses per iteration");
}
BENCHMARK(BM_KeypressEditAndLayout)->Arg(1 << 10)->Arg(10 << 10)->Arg(100 << 10)->Unit(benchmark::kMicrosecond);

// Cursor motion alone (no layout) deep inside a 1 MB buffer.
void BM_MotionInLongBuffer(benchmark::State& state)
{
    Editor editor;
    editor.insert_paste(mixed_text(1 << 20));
    editor.set_cursor(ik::utf8::Bytes(editor.text().size() / 2));
    for (auto _ : state) {
        editor.move_left();
        editor.move_word_left();
        editor.move_word_right();
        editor.move_right();
    }
}
BENCHMARK(BM_MotionInLongBuffer)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
