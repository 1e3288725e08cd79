// The approval box: a tool call waiting for y / n / a, shown in full.
//
// The person answering must see everything that will run, so the box never
// clips silently: long lines wrap (continuation rows start with "↪"), and a
// command or diff taller than the box scrolls, with "↑ N more lines above" /
// "↓ N more lines below" rows saying what is out of view. The key line names
// the rule "a" (always) would add, before the person answers.
//
//   ApprovalView v{.title = "Run this command?", .command = cmd, .always_rule = "git status *"};
//   int h = approval_height(v, cols, max_rows);
//   draw_approval(frame, top, h, v);
//
// Borrows every string_view for the call; owns nothing.
#pragma once

#include <string_view>

#include "tui/frame.h"

namespace ik::tui {

struct ApprovalView {
    std::string_view title; // "Run this command?"
    std::string_view command; // shown whole (wrapped), bold
    std::string_view diff; // unified diff of an edit (+/- coloured)
    std::string_view always_rule; // what "a" allows ("git status *"); empty: not shown
    int scroll = 0; // first body row shown; clamped when drawn
};

// Body rows (command and diff, wrapped) at a terminal width of `cols`.
int approval_body_rows(const ApprovalView& view, int cols);
// Rows the box wants: its body plus the two border rows, at most `max_rows`.
int approval_height(const ApprovalView& view, int cols, int max_rows);
// Draws the box in rows [top, top + height): title, body, and the key line
// "y yes · n no · a always: RULE · ↑↓ scroll".
void draw_approval(Frame& frame, int top, int height, const ApprovalView& view);

} // namespace ik::tui
