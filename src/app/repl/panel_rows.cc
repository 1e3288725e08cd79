#include "app/repl/panel_rows.h"

#include <algorithm>

#include "tui/styled_text.h"

namespace ik::app {

std::string panel_row(std::string_view text, int cols)
{
    std::string out;
    size_t column = 0;
    tui::append_sanitized(out, text, column);
    out.resize(utf8::prefix_fitting(out, utf8::Columns(static_cast<size_t>(std::max(1, cols)))).value);
    return out;
}

size_t wrap_step(size_t selected, size_t count, bool down)
{
    if (count == 0)
        return 0;
    return down ? (selected + 1) % count : (selected + count - 1) % count;
}

} // namespace ik::app
