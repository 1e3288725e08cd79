// Parsing and validating config.json and credentials.json text.
//
// Each object level lists its known keys; anything else is an error naming
// the key path and, when a known key is a plausible typo away, suggesting it.
// Type mismatches reuse json::Field's "path: expected X, got Y" wording.
#include <initializer_list>

#include "config/config.h"
#include "config/internal/suggest.h"
#include "core/arena.h"
#include "core/json.h"

namespace ik::config {

namespace {

std::string join_path(std::string_view prefix, std::string_view key)
{
    return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
}

// Field errors carry ErrorCode::parse; in a config file they are config errors.
Error in_file(const Error& e, std::string_view source)
{
    return Error::make(ErrorCode::config, "{}: {}", source, e.message());
}

Result<void> check_keys(const json::object& obj, std::string_view prefix, std::string_view source,
    std::initializer_list<std::string_view> known)
{
    auto unknown = internal::unknown_key(obj, known);
    if (!unknown)
        return {};
    std::string path = join_path(prefix, unknown->key);
    if (!unknown->hint.empty())
        return fail(ErrorCode::config, "{}: unknown key '{}' (did you mean '{}'?)", source, path,
            join_path(prefix, unknown->hint));
    return fail(ErrorCode::config, "{}: unknown key '{}'", source, path);
}

// Boost.JSON keeps the last of two equal keys; in a config file the first
// one was probably meant too, so say which and where.
Result<void> check_unique_keys(std::string_view text, std::string_view source)
{
    if (auto dup = json::find_duplicate_key(text))
        return fail(ErrorCode::config, "{}:{}:{}: duplicate key '{}' (each key may appear once per object)", source,
            dup->position.line, dup->position.column, dup->key);
    return {};
}

#define CFG_TRY(expr)                                                                                                  \
    ({                                                                                                                 \
        auto _r = (expr);                                                                                              \
        if (!_r.has_value())                                                                                           \
            return fail(in_file(_r.error(), source));                                                                  \
        *_r;                                                                                                           \
    })

Result<void> read_string(json::Field f, std::string& out, std::string_view source)
{
    if (f.exists())
        out = std::string(CFG_TRY(f.string()));
    return {};
}

Result<void> read_int(json::Field f, int64_t& out, int64_t min, std::string_view source)
{
    if (!f.exists())
        return {};
    int64_t v = CFG_TRY(f.integer());
    if (v < min)
        return fail(ErrorCode::config, "{}: {}: expected an integer >= {}, got {}", source, f.path(), min, v);
    out = v;
    return {};
}

Result<void> read_strings(json::Field f, std::vector<std::string>& out, std::string_view source)
{
    if (!f.exists())
        return {};
    const json::array* arr = CFG_TRY(f.as_array());
    out.clear();
    for (size_t i = 0; i < arr->size(); ++i)
        out.emplace_back(CFG_TRY(f[i].string()));
    return {};
}

Result<void> read_provider(json::Field f, std::string_view name, Config& config, std::string_view source)
{
    const json::object* obj = CFG_TRY(f.as_object());
    TRY(check_keys(*obj, f.path(), source, { "base_url", "api_key_env", "format" }));
    ProviderConfig p;
    auto it = config.providers.find(name);
    if (it != config.providers.end())
        p = it->second;
    TRY(read_string(f["base_url"], p.base_url, source));
    while (!p.base_url.empty() && p.base_url.back() == '/')
        p.base_url.pop_back();
    if (f["base_url"].exists())
        TRY(check_base_url(p.base_url, fmt::format("{}: {}", source, f["base_url"].path())));
    TRY(read_string(f["api_key_env"], p.api_key_env, source));
    if (f["format"].exists()) {
        std::string_view fmt_name = CFG_TRY(f["format"].string());
        auto format = parse_api_format(fmt_name);
        if (!format)
            return fail(ErrorCode::config,
                "{}: {}.format: expected one of openai-chat, openai-responses, anthropic, gemini, got '{}'", source,
                f.path(), fmt_name);
        p.format = *format;
    }
    if (p.base_url.empty())
        return fail(ErrorCode::config, "{}: {}: a custom provider needs base_url and format", source, f.path());
    config.providers.insert_or_assign(std::string(name), std::move(p));
    return {};
}

Result<void> read_enum_thinking(json::Field f, Config& config, std::string_view source)
{
    if (!f.exists())
        return {};
    std::string_view s = CFG_TRY(f.string());
    auto t = parse_thinking(s);
    if (!t)
        return fail(ErrorCode::config, "{}: thinking: expected one of none, low, medium, high, got '{}'", source, s);
    config.thinking = *t;
    return {};
}

Result<void> read_approval(json::Field f, Config& config, std::string_view source)
{
    if (!f.exists())
        return {};
    std::string_view s = CFG_TRY(f.string());
    auto a = parse_approval(s);
    if (!a)
        return fail(ErrorCode::config, "{}: approval: expected one of ask, auto-edit, yolo, got '{}'", source, s);
    config.approval = *a;
    return {};
}

Result<void> read_one_of(
    json::Field f, std::string& out, std::initializer_list<std::string_view> choices, std::string_view source)
{
    if (!f.exists())
        return {};
    std::string_view s = CFG_TRY(f.string());
    std::string list;
    for (auto c : choices) {
        if (c == s) {
            out = std::string(s);
            return {};
        }
        list += fmt::format("{}{}", list.empty() ? "" : ", ", c);
    }
    return fail(ErrorCode::config, "{}: {}: expected one of {}, got '{}'", source, f.path(), list, s);
}

Result<void> read_sandbox(json::Field f, SandboxConfig& out, std::string_view source)
{
    if (!f.exists())
        return {};
    TRY(check_keys(*CFG_TRY(f.as_object()), "sandbox", source, { "mode", "backend", "network", "writable" }));
    TRY(read_one_of(f["mode"], out.mode, { "read-only", "workspace-write", "off" }, source));
    TRY(read_one_of(f["backend"], out.backend, { "auto", "bwrap", "landlock" }, source));
    if (f["network"].exists())
        out.network = CFG_TRY(f["network"].boolean());
    TRY(read_strings(f["writable"], out.writable, source));
    for (auto& w : out.writable)
        if (!w.starts_with('/') && !w.starts_with("~/"))
            return fail(ErrorCode::config, "{}: sandbox.writable: '{}' is not an absolute path", source, w);
    return {};
}

Result<void> read_checkpoints(json::Field f, CheckpointsConfig& out, std::string_view source)
{
    if (!f.exists())
        return {};
    TRY(check_keys(*CFG_TRY(f.as_object()), "checkpoints", source, { "enabled", "keep", "max_age_days" }));
    if (f["enabled"].exists())
        out.enabled = CFG_TRY(f["enabled"].boolean());
    TRY(read_int(f["keep"], out.keep, 1, source));
    TRY(read_int(f["max_age_days"], out.max_age_days, 1, source));
    return {};
}

Result<void> read_price(json::Field f, std::optional<double>& out, std::string_view source)
{
    if (!f.exists())
        return {};
    double v = CFG_TRY(f.number());
    if (!(v >= 0) || v > 1e6)
        return fail(ErrorCode::config, "{}: {}: expected a price >= 0 (dollars per million tokens), got {}", source,
            f.path(), v);
    out = v;
    return {};
}

Result<void> read_tokens(json::Field f, std::optional<int64_t>& out, std::string_view source)
{
    if (!f.exists())
        return {};
    int64_t v = 0;
    TRY(read_int(f, v, 1, source));
    out = v;
    return {};
}

Result<void> read_models(json::Field models, Config& config, std::string_view source)
{
    const json::object* obj = CFG_TRY(models.as_object());
    for (const auto& kv : *obj) {
        std::string_view spec(kv.key().data(), kv.key().size());
        json::Field f = models[spec];
        TRY(check_keys(*CFG_TRY(f.as_object()), f.path(), source,
            { "context_window", "max_output", "input_price", "output_price", "cache_read_price", "cache_write_price",
                "images" }));
        if (spec.find('/') == std::string_view::npos)
            return fail(ErrorCode::config, "{}: models.{}: expected a provider/model name", source, spec);
        ModelEntry e;
        TRY(read_tokens(f["context_window"], e.context_window, source));
        TRY(read_tokens(f["max_output"], e.max_output, source));
        TRY(read_price(f["input_price"], e.input_price, source));
        TRY(read_price(f["output_price"], e.output_price, source));
        TRY(read_price(f["cache_read_price"], e.cache_read_price, source));
        TRY(read_price(f["cache_write_price"], e.cache_write_price, source));
        if (f["images"].exists())
            e.images = CFG_TRY(f["images"].boolean());
        config.models.insert_or_assign(std::string(spec), e);
    }
    return {};
}

Result<void> read_compaction(json::Field f, Config& config, std::string_view source)
{
    TRY(check_keys(*CFG_TRY(f.as_object()), "compaction", source, { "threshold", "model" }));
    if (f["threshold"].exists()) {
        double t = CFG_TRY(f["threshold"].number());
        if (!(t >= 0.3 && t <= 0.98))
            return fail(ErrorCode::config, "{}: compaction.threshold: expected a share between 0.3 and 0.98, got {}",
                source, t);
        config.compaction.threshold = t;
    }
    TRY(read_string(f["model"], config.compaction.model, source));
    return {};
}

} // namespace

Result<void> apply_file_text(Config& config, std::string_view text, std::string_view source)
{
    mem::Arena arena(mem::root(), "config");
    auto parsed = json::parse(arena, text, source);
    if (!parsed)
        return fail(ErrorCode::config, "{}", parsed.error().message());
    TRY(check_unique_keys(text, source));
    json::Field root(*parsed);
    if (!parsed->is_object())
        return fail(
            ErrorCode::config, "{}: expected a JSON object at the top level, got {}", source, json::kind_name(*parsed));
    TRY(check_keys(parsed->get_object(), "", source,
        { "model", "thinking", "system", "providers", "http", "approval", "rules", "max_tool_turns", "memory",
            "database_url", "history", "limits", "timeouts", "sandbox", "models", "compaction", "hooks", "mcp",
            "checkpoints", "web", "agents" }));
    TRY(read_string(root["model"], config.model, source));
    TRY(read_enum_thinking(root["thinking"], config, source));
    TRY(read_string(root["system"], config.system, source));
    TRY(read_approval(root["approval"], config, source));
    TRY(read_int(root["max_tool_turns"], config.max_tool_turns, 1, source));
    TRY(read_string(root["database_url"], config.database_url, source));
    if (root["providers"].exists()) {
        const json::object* providers = CFG_TRY(root["providers"].as_object());
        for (const auto& kv : *providers) {
            std::string_view name(kv.key().data(), kv.key().size());
            TRY(read_provider(root["providers"][name], name, config, source));
        }
    }
    if (json::Field http = root["http"]; http.exists()) {
        TRY(check_keys(*CFG_TRY(http.as_object()), "http", source,
            { "connect_timeout_s", "idle_timeout_s", "max_retries", "backoff_base_ms" }));
        TRY(read_int(http["connect_timeout_s"], config.http.connect_timeout_s, 1, source));
        TRY(read_int(http["idle_timeout_s"], config.http.idle_timeout_s, 1, source));
        TRY(read_int(http["max_retries"], config.http.max_retries, 0, source));
        TRY(read_int(http["backoff_base_ms"], config.http.backoff_base_ms, 0, source));
    }
    if (json::Field limits = root["limits"]; limits.exists()) {
        TRY(check_keys(*CFG_TRY(limits.as_object()), "limits", source, { "sse_line_kb", "sse_event_kb", "reply_mb" }));
        TRY(read_int(limits["sse_line_kb"], config.limits.sse_line_kb, 1, source));
        TRY(read_int(limits["sse_event_kb"], config.limits.sse_event_kb, 1, source));
        TRY(read_int(limits["reply_mb"], config.limits.reply_mb, 1, source));
    }
    if (json::Field timeouts = root["timeouts"]; timeouts.exists()) {
        TRY(check_keys(*CFG_TRY(timeouts.as_object()), "timeouts", source, { "reply_s" }));
        TRY(read_int(timeouts["reply_s"], config.timeouts.reply_s, 0, source));
    }
    if (json::Field rules = root["rules"]; rules.exists()) {
        TRY(check_keys(*CFG_TRY(rules.as_object()), "rules", source, { "allow", "deny" }));
        TRY(read_strings(rules["allow"], config.rules.allow, source));
        TRY(read_strings(rules["deny"], config.rules.deny, source));
    }
    TRY(read_sandbox(root["sandbox"], config.sandbox, source));
    if (json::Field memory = root["memory"]; memory.exists()) {
        TRY(check_keys(*CFG_TRY(memory.as_object()), "memory", source, { "limit_mb" }));
        TRY(read_int(memory["limit_mb"], config.memory_limit_mb, 16, source));
    }
    if (json::Field history = root["history"]; history.exists()) {
        TRY(check_keys(*CFG_TRY(history.as_object()), "history", source, { "max_entries" }));
        TRY(read_int(history["max_entries"], config.history_max_entries, 0, source));
    }
    if (json::Field models = root["models"]; models.exists())
        TRY(read_models(models, config, source));
    if (json::Field compaction = root["compaction"]; compaction.exists())
        TRY(read_compaction(compaction, config, source));
    if (json::Field hooks = root["hooks"]; hooks.exists())
        TRY(read_hooks(hooks, config.hooks, source));
    if (json::Field mcp = root["mcp"]; mcp.exists())
        TRY(read_mcp(mcp, config.mcp, source));
    TRY(read_checkpoints(root["checkpoints"], config.checkpoints, source));
    if (json::Field web = root["web"]; web.exists())
        TRY(read_web(web, config.web, source));
    if (json::Field agents = root["agents"]; agents.exists()) {
        TRY(check_keys(*CFG_TRY(agents.as_object()), "agents", source, { "max_depth" }));
        TRY(read_int(agents["max_depth"], config.agents_max_depth, 0, source));
    }
    return {};
}

Result<void> apply_credentials_text(Config& config, std::string_view text, std::string_view source)
{
    mem::Arena arena(mem::root(), "credentials");
    auto parsed = json::parse(arena, text, source);
    if (!parsed)
        return fail(ErrorCode::config, "{}", parsed.error().message());
    TRY(check_unique_keys(text, source));
    json::Field root(*parsed);
    const json::object* obj = CFG_TRY(root.as_object());
    for (const auto& kv : *obj) {
        std::string_view name(kv.key().data(), kv.key().size());
        auto it = config.providers.find(name);
        if (it == config.providers.end())
            return fail(ErrorCode::config, "{}: unknown provider '{}' (define it under providers in config.json)",
                source, name);
        json::Field p = root[name];
        TRY(check_keys(*CFG_TRY(p.as_object()), name, source, { "api_key" }));
        std::string_view key = CFG_TRY(p["api_key"].string());
        if (it->second.api_key.empty())
            it->second.api_key = std::string(key);
    }
    return {};
}

} // namespace ik::config
