#include "tui/widgets.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace ik::tui {
namespace {

constexpr std::string_view spinner_frames[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };

// Sanitises into a reusable thread-local buffer so frame rows never see
// control characters from outside text. (Single-threaded: the loop thread.)
std::string_view clean(std::string_view text)
{
    static std::string buffer;
    buffer.clear();
    size_t column = 0;
    append_sanitized(buffer, text, column);
    return buffer;
}

template <typename Fn> void for_each_line(std::string_view text, Fn&& fn)
{
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!fn(line))
            return;
        if (nl == std::string_view::npos)
            return;
        text.remove_prefix(nl + 1);
    }
}

size_t count_lines(std::string_view text)
{
    if (text.empty())
        return 0;
    size_t n = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    return text.back() == '\n' ? n : n + 1;
}

} // namespace

void format_count(char (&buffer)[16], uint64_t value)
{
    fmt::format_to_n_result<char*> r;
    if (value < 1000)
        r = fmt::format_to_n(buffer, sizeof buffer - 1, "{}", value);
    else if (value < 1000000)
        r = fmt::format_to_n(buffer, sizeof buffer - 1, "{:.1f}k", double(value) / 1e3);
    else
        r = fmt::format_to_n(buffer, sizeof buffer - 1, "{:.1f}M", double(value) / 1e6);
    *r.out = '\0';
}

void format_bytes(char (&buffer)[16], uint64_t bytes)
{
    fmt::format_to_n_result<char*> r;
    if (bytes < 1024)
        r = fmt::format_to_n(buffer, sizeof buffer - 1, "{} B", bytes);
    else if (bytes < size_t{ 1024 } * 1024)
        r = fmt::format_to_n(buffer, sizeof buffer - 1, "{:.1f} KB", double(bytes) / 1024);
    else
        r = fmt::format_to_n(buffer, sizeof buffer - 1, "{:.1f} MB", double(bytes) / (1024.0 * 1024));
    *r.out = '\0';
}

void draw_status_line(Frame& frame, int row, const StatusInfo& info)
{
    Style bar = Style{}.with(attr_reverse);
    char in[17], out[17], used[16], mem[16];
    // An estimate (the provider has not reported usage yet) reads "~1.2k".
    auto count = [&](char(&buffer)[17], uint64_t value) {
        char digits[16];
        format_count(digits, value);
        auto r = fmt::format_to_n(buffer, sizeof buffer - 1, "{}{}", info.estimate ? "~" : "", digits);
        *r.out = '\0';
    };
    count(in, info.tokens_in);
    count(out, info.tokens_out);
    format_bytes(mem, info.memory_bytes);
    // The context and the cost end the line together, as the issue reads
    // them: "ctx 43% · $0.12". The window's size is /context's business.
    char ctx[24];
    fmt::format_to_n_result<char*> c;
    if (info.context_limit > 0) {
        c = fmt::format_to_n(ctx, sizeof ctx - 1, "ctx {}%", info.context_used * 100 / info.context_limit);
    } else {
        format_count(used, info.context_used);
        c = fmt::format_to_n(ctx, sizeof ctx - 1, "ctx {}", used);
    }
    *c.out = '\0';
    char text[192];
    auto r = fmt::format_to_n(
        text, sizeof text, " {} · in {} · out {} · mem {} · {} ", clean(info.model), in, out, mem, ctx);
    size_t n = std::min(r.size, sizeof text);
    // A separate call: clean() reuses one buffer.
    if (!info.cost.empty() && n > 0 && n < sizeof text) { // "… · ctx 43% · $0.12 "
        auto k = fmt::format_to_n(text + n - 1, sizeof text - n + 1, " · {} ", clean(info.cost));
        n = std::min(sizeof text, n - 1 + k.size);
    }
    frame.put(row, std::string_view(text, n), bar);
    int cols = frame.size().cols;
    std::string right(clean(info.note));
    if (!info.mode.empty())
        right += fmt::format("{}⏵ {}", right.empty() ? "" : " · ", clean(info.mode));
    std::string_view note = right;
    int note_width = note.empty() ? 0 : text_width(note) + 1;
    frame.pad_to(row, std::max(frame.row_width(row), cols - note_width), bar);
    if (!note.empty()) {
        frame.put(row, note, bar.with(attr_bold));
        frame.pad_to(row, cols, bar);
    }
}

void draw_spinner(Frame& frame, int row, const Spinner& spinner, std::chrono::steady_clock::time_point now)
{
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - spinner.started).count();
    if (elapsed < 0)
        elapsed = 0;
    auto glyph = spinner_frames[static_cast<size_t>(elapsed / spinner_interval.count()) % std::size(spinner_frames)];
    frame.put(row, glyph, Style{}.with_fg(color::cyan));
    frame.put(row, " ");
    frame.put(row, clean(spinner.label), Style{}.with(attr_bold));
    char text[48];
    auto r = fmt::format_to_n(text, sizeof text, "… {}.{}s", elapsed / 1000, (elapsed / 100) % 10);
    frame.put(row, std::string_view(text, std::min(r.size, sizeof text)));
    if (!spinner.hint.empty()) {
        frame.put(row, "  (", Style{}.with(attr_dim));
        frame.put(row, clean(spinner.hint), Style{}.with(attr_dim));
        frame.put(row, ")", Style{}.with(attr_dim));
    }
}

namespace {

Color tool_colour(ToolBlockState state)
{
    switch (state) {
    case ToolBlockState::running:
    case ToolBlockState::cancelled:
        return color::yellow;
    case ToolBlockState::ok:
        return color::green;
    case ToolBlockState::failed:
    case ToolBlockState::denied:
        return color::red;
    }
    return color::yellow;
}

// "exit 2 · 6 lines", "denied by the rule …", "cancelled · 3 lines".
std::string tool_summary(const ToolCallView& view, size_t lines)
{
    std::string s;
    auto part = [&](std::string_view text) {
        if (text.empty())
            return;
        if (!s.empty())
            s += " · ";
        s += text;
    };
    switch (view.state) {
    case ToolBlockState::running:
        part("running");
        break;
    case ToolBlockState::denied:
        part("denied");
        break;
    case ToolBlockState::cancelled:
        part("cancelled");
        break;
    case ToolBlockState::failed:
        if (!view.exit_code && view.detail.empty())
            part("failed");
        break;
    case ToolBlockState::ok:
        break;
    }
    if (view.exit_code)
        part(fmt::format("exit {}", *view.exit_code));
    part(view.detail);
    if (!view.diff && (lines > 0 || view.exit_code))
        part(fmt::format("{} line{}", lines, lines == 1 ? "" : "s"));
    if (s.empty())
        s = "done";
    return s;
}

Style diff_style(std::string_view line)
{
    if (line.starts_with("+"))
        return Style{}.with_fg(color::green);
    if (line.starts_with("-"))
        return Style{}.with_fg(color::red);
    if (line.starts_with("@@"))
        return Style{}.with_fg(color::cyan);
    return Style{}.with(attr_dim);
}

} // namespace

void render_tool_call(StyledLines& out, const ToolCallView& view)
{
    Style dim = Style{}.with(attr_dim);
    out.begin_line();
    out.add("● ", Style{}.with_fg(tool_colour(view.state)));
    out.add(view.name, Style{}.with(attr_bold));
    if (!view.command.empty()) {
        out.add("  ");
        // A multi-line command shows its first line and a marker.
        std::string_view first = view.command.substr(0, view.command.find('\n'));
        out.add(first);
        if (first.size() < view.command.size())
            out.add(" …", dim);
    }
    out.add_prefix("  ");
    // An edit's diff: the hunks, without the file headers the block's
    // title already names, so the change itself is what fits.
    std::string_view output = view.output;
    if (view.diff) {
        while (output.starts_with("---") || output.starts_with("+++")) {
            size_t nl = output.find('\n');
            output = nl == std::string_view::npos ? std::string_view() : output.substr(nl + 1);
        }
    }
    size_t lines = count_lines(output);
    bool bad = view.state == ToolBlockState::failed || view.state == ToolBlockState::denied
        || (view.exit_code && *view.exit_code != 0);
    out.begin_line();
    out.add("  ⎿ ", dim);
    out.add_prefix("    ");
    out.add(tool_summary(view, lines), bad ? Style{}.with_fg(color::red) : dim);
    int max_lines = view.diff ? std::max(view.max_output_lines, 12) : view.max_output_lines;
    // The collapsed view shows max_lines and a marker; the expanded view
    // (Ctrl-O) the rest too, up to max_expanded_lines.
    size_t shown = 0;
    for_each_line(output, [&](std::string_view line) {
        if (shown >= ToolCallView::max_expanded_lines)
            return false;
        out.begin_line(LineKind::nowrap);
        if (shown >= static_cast<size_t>(max_lines))
            out.set_fold(Fold::expanded);
        out.add("    ", dim);
        out.add(line, view.diff ? diff_style(line) : dim);
        ++shown;
        return true;
    });
    char more[64];
    if (lines > static_cast<size_t>(max_lines)) {
        size_t hidden = lines - static_cast<size_t>(max_lines);
        out.begin_line();
        out.set_fold(Fold::collapsed);
        auto m = fmt::format_to_n(more, sizeof more, "    … {} more line{} (Ctrl-O)", hidden, hidden == 1 ? "" : "s");
        out.add(std::string_view(more, std::min(m.size, sizeof more)), dim);
    }
    if (lines > shown) {
        out.begin_line();
        out.set_fold(Fold::expanded);
        auto m = fmt::format_to_n(
            more, sizeof more, "    … {} more line{} not shown", lines - shown, lines - shown == 1 ? "" : "s");
        out.add(std::string_view(more, std::min(m.size, sizeof more)), dim);
    }
}

} // namespace ik::tui
