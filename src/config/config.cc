// Defaults, files on disk, the environment, and the redacted dump.
#include "config/config.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <boost/json/serialize.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/internal/secret_url.h"
#include "core/arena.h"
#include "core/json.h"

namespace ik::config {

std::string_view to_string(ApiFormat format)
{
    switch (format) {
    case ApiFormat::openai_chat:
        return "openai-chat";
    case ApiFormat::openai_responses:
        return "openai-responses";
    case ApiFormat::anthropic:
        return "anthropic";
    case ApiFormat::gemini:
        return "gemini";
    }
    return "?";
}

Result<ApiFormat> parse_api_format(std::string_view name)
{
    for (ApiFormat f : { ApiFormat::openai_chat, ApiFormat::openai_responses, ApiFormat::anthropic, ApiFormat::gemini })
        if (to_string(f) == name)
            return f;
    return fail(ErrorCode::config, "unknown format '{}'", name);
}

std::string_view to_string(Thinking thinking)
{
    switch (thinking) {
    case Thinking::none:
        return "none";
    case Thinking::low:
        return "low";
    case Thinking::medium:
        return "medium";
    case Thinking::high:
        return "high";
    }
    return "?";
}

Result<Thinking> parse_thinking(std::string_view name)
{
    for (Thinking t : { Thinking::none, Thinking::low, Thinking::medium, Thinking::high })
        if (to_string(t) == name)
            return t;
    return fail(ErrorCode::config, "unknown thinking level '{}' (none, low, medium, high)", name);
}

std::string_view to_string(Approval approval)
{
    switch (approval) {
    case Approval::ask:
        return "ask";
    case Approval::auto_edit:
        return "auto-edit";
    case Approval::yolo:
        return "yolo";
    }
    return "?";
}

Result<Approval> parse_approval(std::string_view name)
{
    if (name == "auto_edit")
        return Approval::auto_edit;
    for (Approval a : { Approval::ask, Approval::auto_edit, Approval::yolo })
        if (to_string(a) == name)
            return a;
    return fail(ErrorCode::config, "unknown approval mode '{}' (ask, auto-edit, yolo)", name);
}

Config defaults()
{
    Config c;
    auto add = [&](std::string name, std::string url, std::string env, ApiFormat format) {
        c.providers.emplace(std::move(name), ProviderConfig{ std::move(url), std::move(env), format, {}, false });
    };
    add("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", ApiFormat::openai_chat);
    add("openai-responses", "https://api.openai.com/v1", "OPENAI_API_KEY", ApiFormat::openai_responses);
    add("anthropic", "https://api.anthropic.com/v1", "ANTHROPIC_API_KEY", ApiFormat::anthropic);
    add("google", "https://generativelanguage.googleapis.com/v1beta", "GEMINI_API_KEY", ApiFormat::gemini);
    add("ollama", "http://127.0.0.1:11434/v1", "", ApiFormat::openai_chat);
    add("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", ApiFormat::openai_chat);
    return c;
}

std::string_view default_file_text()
{
    return R"({
  "model": "anthropic/claude-sonnet-4-5",
  "thinking": "none",
  "system": "",
  "approval": "ask",
  "max_tool_turns": 50,
  "http": { "connect_timeout_s": 10, "idle_timeout_s": 60, "max_retries": 3, "backoff_base_ms": 500 },
  "memory": { "limit_mb": 512 },
  "rules": { "allow": [], "deny": [] },
  "history": { "max_entries": 1000 },
  "sandbox": { "mode": "workspace-write", "backend": "auto", "network": false, "writable": [] },
  "database_url": "",
  "providers": {}
}
)";
}

namespace {

struct ProcessEnvironment final : Environment {
    std::string_view get(std::string_view name) const override
    {
        const char* v = std::getenv(std::string(name).c_str());
        return v ? std::string_view(v) : std::string_view();
    }
};

// A config or credentials file: a regular file (a FIFO would block start-up)
// of at most max_config_file_bytes.
Result<std::string> read_file(const std::string& path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return fail(ErrorCode::io, "{}: cannot read: {}", path, std::strerror(errno));
    struct stat st { };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(ErrorCode::io, "{}: not a regular file", path);
    }
    if (static_cast<uint64_t>(st.st_size) > max_config_file_bytes) {
        ::close(fd);
        return fail(ErrorCode::io, "{}: {} bytes is more than a config file may hold ({} KiB)", path, st.st_size,
            max_config_file_bytes / 1024);
    }
    std::string text;
    char buf[16384];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            return fail(ErrorCode::io, "{}: cannot read: {}", path, std::strerror(err));
        }
        if (n == 0)
            break;
        if (text.size() + static_cast<size_t>(n) > max_config_file_bytes) {
            ::close(fd);
            return fail(ErrorCode::io, "{}: grew past {} KiB while being read", path, max_config_file_bytes / 1024);
        }
        text.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return text;
}

Result<void> make_dirs(const std::string& path)
{
    for (size_t i = 1; i <= path.size(); ++i) {
        if (i < path.size() && path[i] != '/')
            continue;
        std::string part = path.substr(0, i);
        if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
            return fail(ErrorCode::io, "{}: cannot create directory: {}", part, std::strerror(errno));
    }
    return {};
}

Result<void> write_default(const std::string& dir, const std::string& path)
{
    TRY(make_dirs(dir));
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            return {};
        return fail(ErrorCode::io, "{}: cannot create: {}", path, std::strerror(errno));
    }
    std::string_view text = default_file_text();
    ssize_t n = ::write(fd, text.data(), text.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size()))
        return fail(ErrorCode::io, "{}: short write", path);
    return {};
}

std::string ollama_url(std::string_view host)
{
    // OLLAMA_HOST is "host:port" or a URL; ik speaks its OpenAI-compatible /v1.
    std::string url(host);
    if (url.find("://") == std::string::npos)
        url = "http://" + url;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    if (url.size() < 3 || url.compare(url.size() - 3, 3, "/v1") != 0)
        url += "/v1";
    return url;
}

} // namespace

const Environment& process_environment()
{
    static const ProcessEnvironment env;
    return env;
}

Result<std::string> config_dir(const Environment& env)
{
    std::string_view xdg = env.get("XDG_CONFIG_HOME");
    if (!xdg.empty())
        return fmt::format("{}/ik", xdg);
    std::string_view home = env.get("HOME");
    if (home.empty())
        return fail(ErrorCode::config, "neither XDG_CONFIG_HOME nor HOME is set; cannot find config.json");
    return fmt::format("{}/.config/ik", home);
}

Result<void> load_credentials(Config& config, const std::string& path)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return {};
        return fail(ErrorCode::config, "{}: {}", path, std::strerror(errno));
    }
    if ((st.st_mode & 077) != 0)
        return fail(ErrorCode::config, "{} is readable by others (mode {:04o}); run: chmod 600 {}", path,
            st.st_mode & 07777, path);
    std::string text = TRY(read_file(path));
    return apply_credentials_text(config, text, path);
}

namespace {
// A database password in config.json makes it a secret like credentials.json.
Result<void> check_private_if_secret(const Config& config)
{
    if (!internal::url_has_password(config.database_url))
        return {};
    struct stat st { };
    if (::stat(config.config_path.c_str(), &st) != 0 || (st.st_mode & 077) == 0)
        return {};
    return fail(ErrorCode::config,
        "{} holds a database password but is readable by others (mode {:04o}); run: chmod 600 {} "
        "(or move the URL to $IK_DATABASE_URL)",
        config.config_path, st.st_mode & 07777, config.config_path);
}
} // namespace

void apply_environment(Config& config, const Environment& env)
{
    for (auto& [name, p] : config.providers) {
        if (p.api_key_env.empty())
            continue;
        std::string_view key = env.get(p.api_key_env);
        if (key.empty() && p.api_key_env == "GEMINI_API_KEY")
            key = env.get("GOOGLE_API_KEY");
        if (!key.empty())
            p.api_key = std::string(key);
    }
    auto set_url = [&](std::string_view provider, std::string url) {
        auto it = config.providers.find(provider);
        if (it == config.providers.end() || url.empty())
            return;
        while (!url.empty() && url.back() == '/')
            url.pop_back();
        it->second.base_url = std::move(url);
        it->second.base_url_from_env = true;
    };
    set_url("openai", std::string(env.get("OPENAI_BASE_URL")));
    set_url("openai-responses", std::string(env.get("OPENAI_BASE_URL")));
    set_url("anthropic", std::string(env.get("ANTHROPIC_BASE_URL")));
    set_url("google", std::string(env.get("GEMINI_BASE_URL")));
    if (std::string_view h = env.get("OLLAMA_BASE_URL"); !h.empty())
        set_url("ollama", ollama_url(h));
    else if (std::string_view h2 = env.get("OLLAMA_HOST"); !h2.empty())
        set_url("ollama", ollama_url(h2));
    if (std::string_view m = env.get("IK_MODEL"); !m.empty())
        config.model = std::string(m);
    if (std::string_view d = env.get("IK_DATABASE_URL"); !d.empty())
        config.database_url = std::string(d);
}

Result<Config> load(const Environment& env)
{
    Config config = defaults();
    std::string dir = TRY(config_dir(env));
    config.config_path = dir + "/config.json";
    config.credentials_path = dir + "/credentials.json";
    if (::access(config.config_path.c_str(), F_OK) != 0)
        TRY_CONTEXT(write_default(dir, config.config_path), "while writing the default config");
    auto text = read_file(config.config_path);
    if (!text)
        return fail(ErrorCode::config, "{}", text.error().message());
    TRY(apply_file_text(config, *text, config.config_path));
    TRY(check_private_if_secret(config));
    TRY(load_credentials(config, config.credentials_path));
    // Providers sharing a key variable share a credentials entry (openai and
    // openai-responses).
    for (auto& [name, p] : config.providers)
        if (p.api_key.empty() && !p.api_key_env.empty())
            for (auto& [other_name, other] : config.providers)
                if (other.api_key_env == p.api_key_env && !other.api_key.empty())
                    p.api_key = other.api_key;
    apply_environment(config, env);
    for (auto& [name, p] : config.providers)
        TRY(check_base_url(p.base_url,
            p.base_url_from_env ? fmt::format("the base URL of '{}' from the environment", name)
                                : fmt::format("providers.{}.base_url", name)));
    return config;
}

Result<void> check_base_url(std::string_view url, std::string_view where)
{
    auto scheme_end = url.find("://");
    std::string scheme(url.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end));
    for (auto& c : scheme)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme == "http" || scheme == "https")
        return {};
    return fail(ErrorCode::config, "{}: '{}' is not an http:// or https:// URL", where, redact_url(url));
}

std::string redact_url(std::string_view url)
{
    auto scheme_end = url.find("://");
    size_t host_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    size_t authority_end = url.find_first_of("/?#", host_start);
    std::string_view authority = url.substr(
        host_start, authority_end == std::string_view::npos ? std::string_view::npos : authority_end - host_start);
    auto at = authority.rfind('@');
    if (at == std::string_view::npos)
        return std::string(url);
    return fmt::format("{}<redacted>@{}", url.substr(0, host_start), url.substr(host_start + at + 1));
}

std::string to_json(const Config& config)
{
    mem::Arena arena(mem::root(), "config-dump");
    json::object root(json::storage(arena));
    root["model"] = config.model;
    root["thinking"] = to_string(config.thinking);
    root["system"] = config.system;
    root["approval"] = to_string(config.approval);
    root["max_tool_turns"] = config.max_tool_turns;
    json::object& http = root["http"].emplace_object();
    http["connect_timeout_s"] = config.http.connect_timeout_s;
    http["idle_timeout_s"] = config.http.idle_timeout_s;
    http["max_retries"] = config.http.max_retries;
    http["backoff_base_ms"] = config.http.backoff_base_ms;
    root["memory"].emplace_object()["limit_mb"] = config.memory_limit_mb;
    json::object& limits = root["limits"].emplace_object();
    limits["sse_line_kb"] = config.limits.sse_line_kb;
    limits["sse_event_kb"] = config.limits.sse_event_kb;
    limits["reply_mb"] = config.limits.reply_mb;
    root["timeouts"].emplace_object()["reply_s"] = config.timeouts.reply_s;
    json::object& rules = root["rules"].emplace_object();
    json::array& allow = rules["allow"].emplace_array();
    for (const auto& r : config.rules.allow)
        allow.emplace_back(r);
    json::array& deny = rules["deny"].emplace_array();
    for (const auto& r : config.rules.deny)
        deny.emplace_back(r);
    root["history"].emplace_object()["max_entries"] = config.history_max_entries;
    json::object& sandbox = root["sandbox"].emplace_object();
    sandbox["mode"] = config.sandbox.mode;
    sandbox["backend"] = config.sandbox.backend;
    sandbox["network"] = config.sandbox.network;
    json::array& writable = sandbox["writable"].emplace_array();
    for (const auto& w : config.sandbox.writable)
        writable.emplace_back(w);
    json::object& compaction = root["compaction"].emplace_object();
    compaction["threshold"] = config.compaction.threshold;
    compaction["model"] = config.compaction.model;
    json::object& models = root["models"].emplace_object();
    for (const auto& [spec, m] : config.models) {
        json::object& o = models[spec].emplace_object();
        auto put = [&](std::string_view key, const auto& v) {
            if (v)
                o[key] = *v;
        };
        put("context_window", m.context_window);
        put("max_output", m.max_output);
        put("input_price", m.input_price);
        put("output_price", m.output_price);
        put("cache_read_price", m.cache_read_price);
        put("cache_write_price", m.cache_write_price);
        put("images", m.images);
    }
    root["hooks"] = hooks_to_json(config.hooks, arena);
    root["mcp"] = mcp_to_json(config.mcp, arena);
    json::object& checkpoints = root["checkpoints"].emplace_object();
    checkpoints["enabled"] = config.checkpoints.enabled;
    checkpoints["keep"] = config.checkpoints.keep;
    checkpoints["max_age_days"] = config.checkpoints.max_age_days;
    root["web"] = web_to_json(config.web, arena);
    root["agents"].emplace_object()["max_depth"] = config.agents_max_depth;
    // A database URL may carry a password.
    root["database_url"] = config.database_url.empty() ? "" : "<redacted>";
    json::object& providers = root["providers"].emplace_object();
    for (const auto& [name, p] : config.providers) {
        json::object& o = providers[name].emplace_object();
        o["base_url"] = redact_url(p.base_url);
        o["api_key_env"] = p.api_key_env;
        o["format"] = to_string(p.format);
        o["api_key"] = p.api_key.empty() ? "" : "<redacted>";
    }
    root["config_path"] = config.config_path;
    root["credentials_path"] = config.credentials_path;
    // Pretty enough for a human, one key per line at the top level.
    std::string out = "{\n";
    bool first = true;
    for (const auto& kv : root) {
        if (!first)
            out += ",\n";
        first = false;
        out += fmt::format("  {}: {}", boost::json::serialize(json::value(kv.key(), json::storage(arena))),
            boost::json::serialize(kv.value()));
    }
    out += "\n}\n";
    return out;
}

} // namespace ik::config
