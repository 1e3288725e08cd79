// What the REPL's lists above the status line share (the command menu, the
// @-file menu, the pickers, the queued messages): a row made safe and
// clipped to the terminal, a selection that wraps at both ends, and the
// window of rows kept around the selection.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ik::app {

// `text` with control characters made visible, clipped to `cols` columns.
std::string panel_row(std::string_view text, int cols);

// The selection moved by one (`down`) or back, wrapping; 0 for an empty list.
size_t wrap_step(size_t selected, size_t count, bool down);

// The first of at most `rows` rows shown so that `selected` is visible.
inline size_t first_shown(size_t selected, size_t rows)
{
    return selected >= rows ? selected - rows + 1 : 0;
}

} // namespace ik::app
