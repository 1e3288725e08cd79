#include "config/hooks_config.h"

#include <regex>

#include "config/internal/suggest.h"
#include "core/arena.h"

namespace ik::config {

namespace {

// Field errors carry ErrorCode::parse; in a config file they are config errors.
#define HOOK_TRY(expr)                                                                                                 \
    ({                                                                                                                 \
        auto _r = (expr);                                                                                              \
        if (!_r.has_value())                                                                                           \
            return fail(ErrorCode::config, "{}: {}", source, _r.error().message());                                    \
        *_r;                                                                                                           \
    })

Result<void> check_keys(const json::object& obj, const json::Field& at, std::string_view source,
    std::initializer_list<std::string_view> known)
{
    auto unknown = internal::unknown_key(obj, known);
    if (!unknown)
        return {};
    if (!unknown->hint.empty())
        return fail(ErrorCode::config, "{}: {}: unknown key '{}' (did you mean '{}'?)", source, at.path(), unknown->key,
            unknown->hint);
    return fail(ErrorCode::config, "{}: {}: unknown key '{}'", source, at.path(), unknown->key);
}

Result<HookCommandConfig> read_command(const json::Field& f, std::string_view source)
{
    TRY(check_keys(*HOOK_TRY(f.as_object()), f, source, { "type", "command", "timeout" }));
    std::string_view type = HOOK_TRY(f["type"].string());
    if (type != "command")
        return fail(ErrorCode::config, "{}: {}: expected \"command\" (the only hook type ik runs), got '{}'", source,
            f["type"].path(), type);
    HookCommandConfig c;
    c.command = std::string(HOOK_TRY(f["command"].string()));
    if (c.command.find_first_not_of(" \t\r\n") == std::string::npos)
        return fail(ErrorCode::config, "{}: {}: expected a command, got an empty string", source, f["command"].path());
    if (f["timeout"].exists()) {
        int64_t t = HOOK_TRY(f["timeout"].integer());
        if (t < 1 || t > 3600)
            return fail(
                ErrorCode::config, "{}: {}: expected seconds from 1 to 3600, got {}", source, f["timeout"].path(), t);
        c.timeout_s = t;
    }
    return c;
}

Result<HookGroupConfig> read_group(const json::Field& f, std::string_view event, std::string_view source)
{
    TRY(check_keys(*HOOK_TRY(f.as_object()), f, source, { "matcher", "hooks" }));
    HookGroupConfig g;
    if (f["matcher"].exists())
        g.matcher = std::string(HOOK_TRY(f["matcher"].string()));
    if (!g.matcher.empty() && g.matcher != "*") {
        try {
            std::regex check(g.matcher);
        } catch (const std::regex_error& e) {
            return fail(ErrorCode::config, "{}: {}: '{}' is not a valid regular expression ({})", source,
                f["matcher"].path(), g.matcher, e.what());
        }
    }
    if (!f["hooks"].exists())
        return fail(
            ErrorCode::config, "{}: {}: missing key 'hooks' (a list of commands for {})", source, f.path(), event);
    const json::array* commands = HOOK_TRY(f["hooks"].as_array());
    for (size_t i = 0; i < commands->size(); ++i)
        g.hooks.push_back(TRY(read_command(f["hooks"][i], source)));
    return g;
}

} // namespace

Result<void> read_hooks(json::Field field, HooksConfig& out, std::string_view source)
{
    const json::object* events = HOOK_TRY(field.as_object());
    TRY(check_keys(
        *events, field, source, { hook_events[0], hook_events[1], hook_events[2], hook_events[3], hook_events[4] }));
    out.events.clear();
    for (std::string_view event : hook_events) {
        json::Field f = field[event];
        if (!f.exists())
            continue;
        HookEventConfig e{ .event = std::string(event), .groups = {} };
        const json::array* groups = HOOK_TRY(f.as_array());
        for (size_t i = 0; i < groups->size(); ++i)
            e.groups.push_back(TRY(read_group(f[i], event, source)));
        out.events.push_back(std::move(e));
    }
    return {};
}

json::value hooks_to_json(const HooksConfig& hooks, mem::Arena& arena)
{
    json::object root(json::storage(arena));
    for (const HookEventConfig& e : hooks.events) {
        json::array& groups = root[e.event].emplace_array();
        for (const HookGroupConfig& g : e.groups) {
            json::object& group = groups.emplace_back(json::object(json::storage(arena))).get_object();
            group["matcher"] = g.matcher;
            json::array& commands = group["hooks"].emplace_array();
            for (const HookCommandConfig& c : g.hooks) {
                json::object& o = commands.emplace_back(json::object(json::storage(arena))).get_object();
                o["type"] = "command";
                o["command"] = c.command;
                o["timeout"] = c.timeout_s;
            }
        }
    }
    return root;
}

} // namespace ik::config
