// Rendering benchmarks (docs/perf.md, "Rendering").
//
// BM_Frame*: one full frame (layout + diff + output) with 100k lines of
// scrollback, in the worst case where new output shifts every visible row.
// BM_StreamedReply: a ~2000-token Markdown reply streamed at a given token
// rate with the 16 ms frame cap; reports bytes sent to the terminal divided
// by the reply's size (goal <= 3).
#include <cstdio>
#include <cstdlib>
#include <string>

#include <benchmark/benchmark.h>

#include "core/arena.h"
#include "tui/layout.h"
#include "tui/markdown_stream.h"
#include "tui/screen.h"
#include "tui/scrollback.h"

namespace {

using namespace ik::tui;
using Clock = std::chrono::steady_clock;

class CountingSink : public ByteSink {
public:
    ik::Result<void> write(std::string_view bytes) override
    {
        if (dump)
            std::fprintf(dump, "=== %zu\n%.*s\n", bytes.size(), int(bytes.size()), bytes.data());
        bytes_written += bytes.size();
        ++writes;
        return {};
    }
    size_t bytes_written = 0;
    size_t writes = 0;
    FILE* dump = nullptr;
};

void fill(Scrollback& sb, int n)
{
    StyledLines lines;
    for (int i = 0; i < n; ++i) {
        lines.clear();
        lines.begin_line();
        if (i % 10 == 0) {
            lines.add("• ", Style{}.with_fg(color::yellow));
            lines.add("A longer list item that talks about the change in some detail so that it wraps at narrower "
                      "widths, line "
                + std::to_string(i));
            lines.add_prefix("  ");
        } else if (i % 7 == 0) {
            lines.add("日本語のテキストと emoji 😀 mixed in, line " + std::to_string(i));
        } else {
            lines.add("plain output line number " + std::to_string(i) + " with ", Style{});
            lines.add("some bold", Style{}.with(attr_bold));
            lines.add(" and code", Style{}.with_fg(color::cyan));
        }
        sb.append(lines);
    }
}

void draw(Screen& screen, Scrollback& sb, Size size, const StatusInfo& status, std::string_view input)
{
    Frame& f = screen.begin_frame(size);
    std::string_view rows[] = { input };
    LayoutInput in;
    in.scrollback = &sb;
    in.status = &status;
    in.input.rows = rows;
    in.input.cursor_col = static_cast<int>(input.size());
    in.now = Clock::now();
    layout(f, in);
}

void BM_FrameWith100kScrollback(benchmark::State& state)
{
    ik::mem::Arena arena("bench");
    Scrollback sb(arena);
    fill(sb, 100000);
    Screen screen(ColorMode::truecolor);
    CountingSink sink;
    StatusInfo status;
    status.model = "gpt-4.1";
    Size size{ 50, 200 };
    StyledLines extra;
    int i = 0;
    for (auto _ : state) {
        // New output every frame: every visible row moves.
        extra.clear();
        extra.begin_line();
        extra.add("streamed line " + std::to_string(i++));
        sb.append(extra);
        status.tokens_out = static_cast<uint64_t>(i);
        draw(screen, sb, size, status, "hello world");
        auto r = screen.present(sink, Clock::now());
        benchmark::DoNotOptimize(r);
    }
    state.counters["bytes/frame"] = double(sink.bytes_written) / double(state.iterations());
    state.counters["lines"] = double(sb.line_count());
    state.counters["arena_bytes/line"] = double(sb.arena_bytes()) / double(sb.line_count());
}
BENCHMARK(BM_FrameWith100kScrollback)->Unit(benchmark::kMicrosecond);

void BM_ResizeWith100kScrollback(benchmark::State& state)
{
    ik::mem::Arena arena("bench");
    Scrollback sb(arena);
    fill(sb, 100000);
    Screen screen(ColorMode::truecolor);
    CountingSink sink;
    StatusInfo status;
    int w = 0;
    for (auto _ : state) {
        // Alternate widths: every frame reflows the visible lines at a new width.
        Size size{ 50, 120 + (w++ % 40) };
        draw(screen, sb, size, status, "");
        auto r = screen.present(sink, Clock::now());
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_ResizeWith100kScrollback)->Unit(benchmark::kMicrosecond);

void BM_IdleFrameWith100kScrollback(benchmark::State& state)
{
    ik::mem::Arena arena("bench");
    Scrollback sb(arena);
    fill(sb, 100000);
    Screen screen(ColorMode::truecolor);
    CountingSink sink;
    StatusInfo status;
    for (auto _ : state) {
        draw(screen, sb, Size{ 50, 200 }, status, "typing");
        auto r = screen.present(sink, Clock::now());
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_IdleFrameWith100kScrollback)->Unit(benchmark::kMicrosecond);

std::string make_reply()
{
    // About 2000 tokens (~8 KB) of typical assistant Markdown.
    std::string md;
    for (int section = 0; md.size() < 8000; ++section) {
        md += "## Step " + std::to_string(section) + "\n\n";
        md += "The function `parse_config` reads the file, validates **every** field and returns an error that "
              "names the line and the expected type, so the caller can *report* it precisely.\n\n";
        md += "- first, open the file\n- then, parse the JSON\n  - nested detail about arenas\n- finally, validate\n\n";
        md += "```cpp\nResult<Config> load(std::string_view path) {\n    auto text = TRY(read_file(path));\n"
              "    return parse(text);\n}\n```\n\n";
    }
    return md;
}

void BM_StreamedReply(benchmark::State& state)
{
    const std::string reply = make_reply();
    const double tokens_per_second = double(state.range(0));
    size_t bytes = 0, frames = 0, tokens = 0;
    for (auto _ : state) {
        ik::mem::Arena arena("bench");
        Scrollback sb(arena);
        MarkdownStream stream(sb);
        Screen screen(ColorMode::truecolor);
        screen.set_output_interval(std::chrono::milliseconds(state.range(1)));
        CountingSink sink;
        if (std::getenv("IK_RENDER_DUMP"))
            sink.dump = std::fopen(std::getenv("IK_RENDER_DUMP"), "w");
        StatusInfo status;
        status.model = "gpt-4.1";
        auto t = Clock::now();
        auto step = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / tokens_per_second));
        tokens = 0;
        for (size_t pos = 0; pos < reply.size(); pos += 4) {
            stream.append(std::string_view(reply).substr(pos, 4)); // ~one token
            ++tokens;
            screen.request_redraw(Screen::Redraw::output);
            t += step;
            if (screen.frame_due(t)) {
                draw(screen, sb, Size{ 40, 100 }, status, "");
                if (sink.dump)
                    std::fprintf(sink.dump, "FRAME\n%s\n", screen.pending_frame_text().c_str());
                (void)screen.present(sink, t);
            }
        }
        stream.finish();
        status.tokens_out = tokens; // usage arrives with the end of the stream
        screen.request_redraw();
        draw(screen, sb, Size{ 40, 100 }, status, "");
        (void)screen.present(sink, t + std::chrono::seconds(1));
        if (sink.dump)
            std::fclose(sink.dump);
        bytes = sink.bytes_written;
        frames = sink.writes;
    }
    state.counters["reply_bytes"] = double(reply.size());
    state.counters["tokens"] = double(tokens);
    state.counters["terminal_bytes"] = double(bytes);
    state.counters["ratio"] = double(bytes) / double(reply.size());
    state.counters["frames"] = double(frames);
}
// Args: tokens per second, output frame interval in ms (50 is the default).
BENCHMARK(BM_StreamedReply)
    ->Args({ 30, 50 })
    ->Args({ 60, 50 })
    ->Args({ 100, 50 })
    ->Args({ 200, 50 })
    ->Args({ 60, 100 })
    ->Args({ 100, 100 })
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
