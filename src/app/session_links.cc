#include "app/session_links.h"

#include <algorithm>
#include <unordered_map>

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <fmt/format.h>

#include "tui/widgets.h"

namespace ik::app {

namespace {

// Nesting deeper than this is drawn at this depth: agents.max_depth is small,
// and a damaged store must not indent a row off the screen.
constexpr int max_shown_depth = 8;

std::string tokens_text(const store::SessionInfo& s)
{
    int64_t total = std::max<int64_t>(0, s.tokens_in + s.tokens_out);
    if (total == 0)
        return "-";
    char buf[16];
    tui::format_count(buf, static_cast<uint64_t>(total));
    return buf;
}

std::string_view title_or_untitled(const store::SessionInfo& s)
{
    return s.title.empty() ? std::string_view("(untitled)") : s.title;
}

std::string json_string(std::string_view s)
{
    return boost::json::serialize(boost::json::string_view(s.data(), s.size()));
}

} // namespace

Result<std::span<const store::SessionInfo>> sub_agent_sessions(
    store::Store& store, mem::Arena& arena, std::string_view parent_id)
{
    return store.list_sessions(arena, { .cwd = {}, .limit = 0, .parent_id = parent_id });
}

void print_links(tui::TextWriter& out, const store::SessionInfo& info, std::span<const store::SessionInfo> children)
{
    if (!info.parent_id.empty())
        out.print("Sub-agent of session {}{}\n", info.parent_id,
            info.parent_call_id.empty() ? std::string() : fmt::format(" (task call {})", info.parent_call_id));
    if (children.empty())
        return;
    out.print("Sub-agents {}:\n", children.size());
    for (const store::SessionInfo& c : children)
        out.print("  {}  {:>6} events  {:>6} tokens  {}\n", c.id, c.event_count, tokens_text(c), title_or_untitled(c));
}

void markdown_links(tui::TextWriter& out, const store::SessionInfo& info, std::span<const store::SessionInfo> children)
{
    if (!info.parent_id.empty())
        out.print("- Sub-agent of: `{}`{}\n", info.parent_id,
            info.parent_call_id.empty() ? std::string() : fmt::format(" (task call `{}`)", info.parent_call_id));
    for (const store::SessionInfo& c : children)
        out.print("- Sub-agent: `{}` {} ({} events)\n", c.id, title_or_untitled(c), c.event_count);
}

std::string jsonl_links(const store::SessionInfo& info, std::span<const store::SessionInfo> children)
{
    auto or_null = [](std::string_view s) { return s.empty() ? std::string("null") : json_string(s); };
    std::string ids;
    for (const store::SessionInfo& c : children)
        ids += fmt::format("{}{}", ids.empty() ? "" : ",", json_string(c.id));
    return fmt::format(R"(,"parent_id":{},"parent_call_id":{},"sub_agents":[{}])", or_null(info.parent_id),
        or_null(info.parent_call_id), ids);
}

std::vector<ListedSession> nest_sub_agents(std::span<const store::SessionInfo> sessions)
{
    std::unordered_map<std::string_view, size_t> index;
    for (size_t i = 0; i < sessions.size(); ++i)
        index.emplace(sessions[i].id, i);
    // Children of each listed session, in listing order.
    std::vector<std::vector<size_t>> children(sessions.size());
    std::vector<bool> nested(sessions.size(), false);
    for (size_t i = 0; i < sessions.size(); ++i) {
        auto parent = index.find(sessions[i].parent_id);
        if (sessions[i].parent_id.empty() || parent == index.end() || parent->second == i)
            continue;
        children[parent->second].push_back(i);
        nested[i] = true;
    }
    std::vector<ListedSession> rows;
    rows.reserve(sessions.size());
    std::vector<bool> shown(sessions.size(), false);
    // Depth first from each session that is not nested; `shown` also ends a
    // cycle, which only a damaged store could hold.
    auto visit = [&](auto& self, size_t i, int depth) -> void {
        if (shown[i])
            return;
        shown[i] = true;
        rows.push_back({ &sessions[i], std::min(depth, max_shown_depth) });
        for (size_t c : children[i])
            self(self, c, depth + 1);
    };
    for (size_t i = 0; i < sessions.size(); ++i)
        if (!nested[i])
            visit(visit, i, 0);
    for (size_t i = 0; i < sessions.size(); ++i) // a cycle's members
        if (!shown[i])
            visit(visit, i, 0);
    return rows;
}

std::string listed_marker(const ListedSession& row)
{
    if (row.info->parent_id.empty())
        return {};
    if (row.depth == 0)
        return fmt::format("↳ sub-agent of {}: ", row.info->parent_id);
    return fmt::format("{:{}}↳ ", "", (row.depth - 1) * 2);
}

} // namespace ik::app
