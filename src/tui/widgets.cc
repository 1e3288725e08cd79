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
    else if (bytes < 1024 * 1024)
        r = fmt::format_to_n(buffer, sizeof buffer - 1, "{:.1f} KB", double(bytes) / 1024);
    else
        r = fmt::format_to_n(buffer, sizeof buffer - 1, "{:.1f} MB", double(bytes) / (1024.0 * 1024));
    *r.out = '\0';
}

void draw_status_line(Frame& frame, int row, const StatusInfo& info)
{
    Style bar = Style{}.with(attr_reverse);
    char in[16], out[16], used[16], limit[16], mem[16];
    format_count(in, info.tokens_in);
    format_count(out, info.tokens_out);
    format_count(used, info.context_used);
    format_count(limit, info.context_limit);
    format_bytes(mem, info.memory_bytes);
    char text[192];
    fmt::format_to_n_result<char*> r;
    if (info.context_limit > 0)
        r = fmt::format_to_n(text, sizeof text, " {} · in {} · out {} · ctx {}% ({}/{}) · mem {} ", clean(info.model),
            in, out, info.context_used * 100 / info.context_limit, used, limit, mem);
    else
        r = fmt::format_to_n(
            text, sizeof text, " {} · in {} · out {} · ctx {} · mem {} ", clean(info.model), in, out, used, mem);
    size_t n = std::min(r.size, sizeof text);
    if (!info.cost.empty() && n > 0 && n < sizeof text) { // "… · mem 3M · $0.12 "
        auto c = fmt::format_to_n(text + n - 1, sizeof text - n + 1, " · {} ", clean(info.cost));
        n = std::min(sizeof text, n - 1 + c.size);
    }
    frame.put(row, std::string_view(text, n), bar);
    int cols = frame.size().cols;
    std::string_view note = info.note;
    int note_width = note.empty() ? 0 : text_width(clean(note)) + 1;
    frame.pad_to(row, std::max(frame.row_width(row), cols - note_width), bar);
    if (!note.empty()) {
        frame.put(row, clean(note), bar.with(attr_bold));
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

void render_tool_call(StyledLines& out, const ToolCallView& view)
{
    Style dim = Style{}.with(attr_dim);
    out.begin_line();
    bool failed = view.exit_code && *view.exit_code != 0;
    out.add("● ", Style{}.with_fg(!view.exit_code ? color::yellow : failed ? color::red : color::green));
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
    out.begin_line();
    out.add("  ⎿ ", dim);
    out.add_prefix("    ");
    size_t lines = count_lines(view.output);
    char summary[64];
    fmt::format_to_n_result<char*> r;
    if (!view.exit_code)
        r = fmt::format_to_n(summary, sizeof summary, "running · {} line{}", lines, lines == 1 ? "" : "s");
    else
        r = fmt::format_to_n(
            summary, sizeof summary, "exit {} · {} line{}", *view.exit_code, lines, lines == 1 ? "" : "s");
    out.add(std::string_view(summary, std::min(r.size, sizeof summary)), failed ? Style{}.with_fg(color::red) : dim);
    int shown = 0;
    for_each_line(view.output, [&](std::string_view line) {
        if (shown >= view.max_output_lines)
            return false;
        out.begin_line(LineKind::nowrap);
        out.add("    ", dim);
        out.add(line, dim);
        ++shown;
        return true;
    });
    if (lines > static_cast<size_t>(shown)) {
        out.begin_line();
        char more[48];
        auto m
            = fmt::format_to_n(more, sizeof more, "    … {} more line{}", lines - shown, lines - shown == 1 ? "" : "s");
        out.add(std::string_view(more, std::min(m.size, sizeof more)), dim);
    }
}

int approval_height(const ApprovalView& view, int max_rows)
{
    int body = static_cast<int>(count_lines(view.command) + count_lines(view.diff));
    return std::clamp(body + 2, 3, std::max(3, max_rows));
}

void draw_approval(Frame& frame, int top, int height, const ApprovalView& view)
{
    int cols = frame.size().cols;
    if (height < 3 || cols < 8)
        return;
    Style border = Style{}.with_fg(color::yellow);
    frame.put(top, "╭─ ", border);
    frame.put(top, clean(view.title), border.with(attr_bold));
    frame.put(top, " ", border);
    frame.repeat(top, "─", cols - 1 - frame.row_width(top), border);
    frame.put(top, "╮", border);
    int row = top + 1;
    int last = top + height - 1;
    auto body_line = [&](std::string_view line, Style style) {
        if (row >= last)
            return false;
        frame.put(row, "│ ", border);
        std::string_view text = clean(line);
        int room = std::max(0, cols - 3);
        text = text.substr(0, utf8::prefix_fitting(text, utf8::Columns(static_cast<size_t>(room))).value);
        frame.put(row, text, style);
        frame.pad_to(row, cols - 1);
        frame.put(row, "│", border);
        ++row;
        return true;
    };
    for_each_line(view.command, [&](std::string_view line) { return body_line(line, Style{}.with(attr_bold)); });
    for_each_line(view.diff, [&](std::string_view line) {
        Style s;
        if (line.starts_with("+++") || line.starts_with("---"))
            s = Style{}.with(attr_bold);
        else if (line.starts_with("+"))
            s = Style{}.with_fg(color::green);
        else if (line.starts_with("-"))
            s = Style{}.with_fg(color::red);
        else if (line.starts_with("@@"))
            s = Style{}.with_fg(color::cyan);
        return body_line(line, s);
    });
    while (row < last) {
        frame.put(row, "│", border);
        frame.pad_to(row, cols - 1);
        frame.put(row, "│", border);
        ++row;
    }
    frame.put(last, "╰─ ", border);
    frame.put(last, "y", Style{}.with(attr_bold));
    frame.put(last, " yes · ", border);
    frame.put(last, "n", Style{}.with(attr_bold));
    frame.put(last, " no · ", border);
    frame.put(last, "a", Style{}.with(attr_bold));
    frame.put(last, " always (this session) ", border);
    frame.repeat(last, "─", cols - 1 - frame.row_width(last), border);
    frame.put(last, "╯", border);
}

} // namespace ik::tui
