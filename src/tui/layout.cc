#include "tui/layout.h"

#include <algorithm>

namespace ik::tui {

int input_width(int frame_cols, std::string_view prompt)
{
    return std::max(1, frame_cols - text_width(prompt));
}

void layout(Frame& frame, const LayoutInput& in)
{
    int rows = frame.size().rows;
    if (rows <= 0)
        return;
    int input_rows = std::clamp(static_cast<int>(in.input.rows.size()), 1, std::max(1, in.max_input_rows));
    input_rows = std::min(input_rows, std::max(1, rows - 1));
    int bottom = rows - input_rows; // first input row
    int y = bottom;

    // Input zone, scrolled so the cursor row is visible.
    int total = static_cast<int>(in.input.rows.size());
    int first = 0;
    if (in.input.cursor_row >= input_rows)
        first = in.input.cursor_row - input_rows + 1;
    Style prompt_style = Style{}.with(attr_bold).with_fg(color::cyan);
    for (int i = 0; i < input_rows; ++i) {
        int index = first + i;
        frame.put(y + i, index == 0 ? in.input.prompt : in.input.continuation, prompt_style);
        if (index < total) {
            std::string_view text = in.input.rows[static_cast<size_t>(index)];
            frame.put(y + i, text);
        }
    }
    if (in.input.show_cursor && !in.approval) {
        int row = in.input.cursor_row - first;
        frame.set_cursor(y + std::clamp(row, 0, input_rows - 1),
            std::min(frame.size().cols - 1, text_width(in.input.prompt) + in.input.cursor_col));
    } else {
        frame.hide_cursor();
    }

    if (in.status && y > 0) {
        --y;
        draw_status_line(frame, y, *in.status);
    }
    int panel_rows = std::min(static_cast<int>(in.panel.rows.size()), y / 2);
    for (int i = panel_rows - 1; i >= 0; --i) {
        --y;
        Style style = i == in.panel.selected ? Style{}.with(attr_reverse) : Style{}.with(attr_dim);
        frame.put(y, in.panel.rows[static_cast<size_t>(i)], style);
        if (i == in.panel.selected)
            frame.pad_to(y, frame.size().cols, style);
    }
    if (in.approval && y > 1) {
        // The box may take all but two rows of the scrollback: the person
        // answering should see as much of the command as fits.
        int h = std::min(approval_height(*in.approval, frame.size().cols, std::max(3, y - 2)), y);
        y -= h;
        draw_approval(frame, y, h, *in.approval);
    }
    if (in.todo && y > 1) {
        // Below the spinner, above the approval box; at most half of what is left.
        int h = todo_panel_height(*in.todo, y / 2);
        y -= h;
        draw_todo_panel(frame, y, h, *in.todo);
    }
    if (in.spinner && y > 0) {
        --y;
        draw_spinner(frame, y, *in.spinner, in.now);
    }
    if (in.scrollback && y > 0)
        in.scrollback->render(frame, 0, y);
}

} // namespace ik::tui
