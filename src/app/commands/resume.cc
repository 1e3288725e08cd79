#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"
#include "core/arena.h"
#include "store/store.h"

namespace ik::app::slash {
namespace {

// "5m ago", "3h ago", "2d ago".
std::string age(store::TimeMs then, store::TimeMs now)
{
    int64_t minutes = std::max<int64_t>(0, (now - then) / 60000);
    if (minutes < 60)
        return fmt::format("{}m ago", minutes);
    constexpr int64_t hour = 60;
    if (minutes < 48 * hour)
        return fmt::format("{}h ago", minutes / 60);
    return fmt::format("{}d ago", minutes / (24 * hour));
}

// This directory's recent sessions, newest first, to choose from.
Result<void> pick_session(CommandHost& host)
{
    mem::Arena arena(mem::root(), "resume-list");
    std::string cwd = host.session().settings().cwd.string();
    // Sub-agents' sessions are reached through their parent (`ik sessions show`) or `/resume ID`.
    auto list = TRY(host.store().list_sessions(
        arena, store::SessionFilter{ .cwd = cwd, .limit = 30, .sub_agents = store::SubAgentSessions::exclude }));
    std::vector<PickItem> items;
    store::TimeMs now = store::now_ms();
    for (const store::SessionInfo& s : list) {
        if (s.id == host.session().id())
            continue;
        std::string title(s.title.substr(0, s.title.find('\n')));
        items.push_back(PickItem{ fmt::format("{}  {:>8}  {}  ({} events)", s.id.substr(0, 8), age(s.updated_at, now),
                                      title.empty() ? "(untitled)" : title, s.event_count),
            std::string(s.id) });
    }
    if (items.empty()) {
        host.print("No other session in this directory (ik sessions -a lists every directory's).");
        return {};
    }
    host.pick(
        "Resume a session", std::move(items), 0, [&host](const PickItem& item) { return host.resume(item.value); });
    return {};
}

Result<void> run(CommandHost& host, std::string_view args)
{
    TRY(refuse_while_jobs_run(host, "resume"));
    if (args.empty())
        return pick_session(host);
    if (args.find_first_of(" \t\n") != std::string_view::npos)
        return fail(usage_error(resume));
    std::string id = TRY(host.store().resolve_id(args));
    if (id == host.session().id())
        return fail(ErrorCode::invalid_argument, "session {} is the current one", id);
    TRY(host.resume(id));
    return {};
}

} // namespace

const SlashCommand resume{ "resume", "[ID]",
    "switch to a stored session (an id prefix is enough; without one: choose from this directory's)", run };

} // namespace ik::app::slash
