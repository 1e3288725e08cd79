// How `ik sessions` shows the link between a sub-agent's stored session and
// its parent's (store migration 6): who started a session, which sessions a
// session started, and a listing that nests sub-agents under their parent.
//
// The link lives on the child's row (SessionInfo::parent_id and
// parent_call_id); a parent's sub-agents are found with
// SessionFilter::parent_id. Everything printed goes through a TextWriter, so
// stored text reaches a terminal visibly (sessions_cmd.h).
//
//   auto children = TRY(store.list_sessions(arena, {.parent_id = info.id, .limit = 0}));
//   print_links(out, info, children);   // `ik sessions show`
//
// Borrows everything it is given; returns plain values.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"
#include "tui/visible.h"

namespace ik::app {

// A session's sub-agent sessions, most recently active first (every one).
// Returns memory in `arena`.
Result<std::span<const store::SessionInfo>> sub_agent_sessions(
    store::Store& store, mem::Arena& arena, std::string_view parent_id);

// For `show`: "Sub-agent of session P (task call C)" and a line per sub-agent
// session (id, events, tokens, title). Nothing for a session with neither.
void print_links(tui::TextWriter& out, const store::SessionInfo& info, std::span<const store::SessionInfo> children);
// The same as Markdown list items, for the export's header.
void markdown_links(tui::TextWriter& out, const store::SessionInfo& info, std::span<const store::SessionInfo> children);
// `,"parent_id":…,"parent_call_id":…,"sub_agents":[…]` for the jsonl
// export's session line (null when the session has no parent).
std::string jsonl_links(const store::SessionInfo& info, std::span<const store::SessionInfo> children);

// One row of `ik sessions`: a session and how deep it sits under a parent
// that is also listed (0: top level, or a sub-agent whose parent is not).
struct ListedSession {
    const store::SessionInfo* info = nullptr;
    int depth = 0;
};
// The listing in order, each sub-agent session right after its parent (and
// its parent's earlier sub-agents), when its parent is listed too; the others
// keep their place. Every session appears exactly once.
std::vector<ListedSession> nest_sub_agents(std::span<const store::SessionInfo> sessions);
// The TITLE column's prefix for a row: "↳ " indented by depth for a nested
// sub-agent, "↳ sub-agent of P: " for one whose parent is not listed.
std::string listed_marker(const ListedSession& row);

} // namespace ik::app
