#include "tui/approval_box.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tui/styled_text.h"

namespace ik::tui {
namespace {

struct BodyRow {
    std::string text; // sanitised
    Style style;
    bool continuation = false;
};

constexpr std::string_view continuation_mark = "↪ ";

// Text columns inside "│ " … "│".
int body_width(int cols)
{
    return std::max(4, cols - 4);
}

Style diff_style(std::string_view line)
{
    if (line.starts_with("+++") || line.starts_with("---"))
        return Style{}.with(attr_bold);
    if (line.starts_with("+"))
        return Style{}.with_fg(color::green);
    if (line.starts_with("-"))
        return Style{}.with_fg(color::red);
    if (line.starts_with("@@"))
        return Style{}.with_fg(color::cyan);
    return {};
}

// One logical line, sanitised and wrapped at `width` columns; the rows after
// the first leave room for the continuation mark.
void wrap_line(std::vector<BodyRow>& rows, std::string_view line, Style style, int width)
{
    std::string text;
    size_t column = 0;
    append_sanitized(text, line, column);
    std::string_view rest = text;
    bool first = true;
    do {
        int room = first ? width : width - text_width(continuation_mark);
        size_t n = utf8::prefix_fitting(rest, utf8::Columns(static_cast<size_t>(std::max(1, room)))).value;
        if (n == 0 && !rest.empty())
            n = rest.size(); // a grapheme wider than the box: show it anyway
        rows.push_back(BodyRow{ std::string(rest.substr(0, n)), style, !first });
        rest.remove_prefix(n);
        first = false;
    } while (!rest.empty());
}

template <typename Fn> void each_line(std::string_view text, Fn&& fn)
{
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        fn(line);
        if (nl == std::string_view::npos)
            return;
        text.remove_prefix(nl + 1);
    }
}

std::vector<BodyRow> body_rows(const ApprovalView& view, int cols)
{
    std::vector<BodyRow> rows;
    int width = body_width(cols);
    each_line(view.command, [&](std::string_view line) { wrap_line(rows, line, Style{}.with(attr_bold), width); });
    each_line(view.diff, [&](std::string_view line) { wrap_line(rows, line, diff_style(line), width); });
    return rows;
}

void framed_row(Frame& frame, int row, const BodyRow& body, Style border)
{
    int cols = frame.size().cols;
    frame.put(row, "│ ", border);
    if (body.continuation)
        frame.put(row, continuation_mark, Style{}.with(attr_dim));
    frame.put(row, body.text, body.style);
    frame.pad_to(row, cols - 1);
    frame.put(row, "│", border);
}

void marker_row(Frame& frame, int row, std::string_view text, Style border)
{
    framed_row(frame, row, BodyRow{ std::string(text), Style{}.with(attr_bold).with_fg(color::yellow), false }, border);
}

void key_line(Frame& frame, int row, const ApprovalView& view, bool scrolls, Style border)
{
    int cols = frame.size().cols;
    Style key = Style{}.with(attr_bold);
    frame.put(row, "╰─ ", border);
    frame.put(row, "y", key);
    frame.put(row, " yes · ", border);
    frame.put(row, "n", key);
    frame.put(row, " no · ", border);
    frame.put(row, "a", key);
    if (view.always_rule.empty()) {
        frame.put(row, " always (this session) ", border);
    } else {
        frame.put(row, " always: ", border);
        std::string rule;
        size_t column = 0;
        append_sanitized(rule, view.always_rule, column);
        int room = std::max(1, cols - frame.row_width(row) - (scrolls ? 16 : 4));
        std::string_view shown = rule;
        shown = shown.substr(0, utf8::prefix_fitting(shown, utf8::Columns(static_cast<size_t>(room))).value);
        frame.put(row, shown, key);
        if (shown.size() < rule.size())
            frame.put(row, "…", border);
        frame.put(row, " ", border);
    }
    if (scrolls) {
        frame.put(row, "· ", border);
        frame.put(row, "↑↓", key);
        frame.put(row, " scroll ", border);
    }
    frame.repeat(row, "─", cols - 1 - frame.row_width(row), border);
    frame.put(row, "╯", border);
}

} // namespace

int approval_body_rows(const ApprovalView& view, int cols)
{
    return static_cast<int>(body_rows(view, cols).size());
}

int approval_height(const ApprovalView& view, int cols, int max_rows)
{
    return std::clamp(approval_body_rows(view, cols) + 2, 3, std::max(3, max_rows));
}

void draw_approval(Frame& frame, int top, int height, const ApprovalView& view)
{
    int cols = frame.size().cols;
    if (height < 3 || cols < 8)
        return;
    Style border = Style{}.with_fg(color::yellow);
    frame.put(top, "╭─ ", border);
    std::string title;
    size_t column = 0;
    append_sanitized(title, view.title, column);
    frame.put(top, title, border.with(attr_bold));
    frame.put(top, " ", border);
    frame.repeat(top, "─", cols - 1 - frame.row_width(top), border);
    frame.put(top, "╮", border);

    std::vector<BodyRow> rows = body_rows(view, cols);
    int total = static_cast<int>(rows.size());
    int visible = height - 2;
    bool scrolls = total > visible;
    // With more rows than fit, the first and last visible rows may become
    // markers; the scroll position is clamped so the last row can be reached.
    int first = 0;
    int shown = visible;
    if (scrolls) {
        int max_first = total - std::max(1, visible - 1);
        first = std::clamp(view.scroll, 0, std::max(0, max_first));
    }
    int row = top + 1;
    int last = top + height - 1;
    if (scrolls && first > 0 && visible >= 3) {
        marker_row(frame, row++, fmt::format("↑ {} more line{} above", first, first == 1 ? "" : "s"), border);
        --shown;
    }
    int below = std::max(0, total - first - shown);
    if (below > 0)
        --shown; // the last row says how many are below
    below = std::max(0, total - first - shown);
    for (int i = 0; i < shown && first + i < total; ++i)
        framed_row(frame, row++, rows[static_cast<size_t>(first) + static_cast<size_t>(i)], border);
    if (below > 0)
        marker_row(frame, row++, fmt::format("↓ {} more line{} below", below, below == 1 ? "" : "s"), border);
    while (row < last) {
        frame.put(row, "│", border);
        frame.pad_to(row, cols - 1);
        frame.put(row, "│", border);
        ++row;
    }
    key_line(frame, last, view, scrolls, border);
}

} // namespace ik::tui
