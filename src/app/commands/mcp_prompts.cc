#include "app/commands/mcp_prompts.h"

#include <deque>
#include <memory>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "app/mcp_setup.h"
#include "mcp/naming.h"
#include "mcp/resources.h"

namespace ik::app {

namespace {

struct List {
    std::deque<McpPromptRef> refs; // a deque: descriptors point into it
    std::vector<SlashCommand> descriptors;
};

struct Installed {
    const McpRuntime* runtime = nullptr;
    uint64_t generation = 0;
    std::unique_ptr<List> current;
    std::vector<std::unique_ptr<List>> retired;
};

Installed& installed()
{
    static Installed all;
    return all;
}

// Run by the front end (run_mcp_prompt), never through this pointer.
Result<void> not_runnable(CommandHost&, std::string_view)
{
    return fail(ErrorCode::internal, "an MCP prompt runs through its front end");
}

void rebuild(Installed& all, const McpRuntime* rt)
{
    if (all.current)
        all.retired.push_back(std::move(all.current));
    all.current = std::make_unique<List>();
    all.runtime = rt;
    all.generation = rt ? rt->manager->generation() : 0;
    if (!rt)
        return;
    for (const auto& s : rt->manager->servers()) {
        for (const mcp::Prompt& p : s->prompts()) {
            std::string name = mcp::full_tool_name(s->name(), p.name);
            if (name.empty())
                continue;
            McpPromptRef& ref = all.current->refs.emplace_back();
            ref.server = std::string(s->name());
            ref.prompt = p.name;
            ref.command = std::move(name);
            ref.arguments = p.arguments;
            for (const auto& a : p.arguments)
                ref.usage += fmt::format(
                    "{}{}{}{}", ref.usage.empty() ? "" : " ", a.required ? "" : "[", a.name, a.required ? "" : "]");
            ref.help
                = fmt::format("{} (MCP server {})", p.description.empty() ? "MCP prompt" : p.description, s->name());
            for (char& c : ref.help)
                if (c == '\n' || c == '\r' || c == '\t')
                    c = ' ';
        }
    }
    for (const McpPromptRef& ref : all.current->refs)
        all.current->descriptors.push_back(SlashCommand{ .name = ref.command,
            .args = ref.usage,
            .help = ref.help,
            .run = not_runnable,
            .busy_safe = false,
            .alias = {},
            .custom = nullptr,
            .mcp_prompt = &ref });
}

// Words of the typed arguments: whitespace separates, quotes group.
std::vector<std::string> split_words(std::string_view s)
{
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
            ++i;
        if (i >= s.size())
            break;
        std::string word;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') {
            char q = s[i];
            if (q == '"' || q == '\'') {
                size_t end = s.find(q, i + 1);
                if (end == std::string_view::npos)
                    end = s.size();
                word.append(s.substr(i + 1, end - i - 1));
                i = end + 1;
            } else {
                word += s[i++];
            }
        }
        out.push_back(std::move(word));
    }
    return out;
}

std::string json_string(std::string_view s)
{
    return boost::json::serialize(boost::json::string_view(s.data(), s.size()));
}

Error usage(const McpPromptRef& p, std::string_view why)
{
    return Error::make(ErrorCode::invalid_argument, "{}; usage: /{} {}", why, p.command, p.usage);
}

} // namespace

std::span<const SlashCommand> mcp_prompt_commands()
{
    Installed& all = installed();
    const McpRuntime* rt = current_mcp();
    if (!all.current || all.runtime != rt || (rt && all.generation != rt->manager->generation()))
        rebuild(all, rt);
    return all.current->descriptors;
}

Result<std::string> mcp_prompt_arguments(const McpPromptRef& p, std::string_view typed)
{
    std::vector<std::pair<std::string, std::string>> values;
    auto set = [&](const std::string& name, std::string value) {
        for (auto& [k, v] : values)
            if (k == name) {
                v = std::move(value);
                return;
            }
        values.emplace_back(name, std::move(value));
    };
    auto known = [&](std::string_view name) {
        for (const auto& a : p.arguments)
            if (a.name == name)
                return true;
        return false;
    };
    std::vector<std::string> positional;
    for (std::string& w : split_words(typed)) {
        size_t eq = w.find('=');
        if (eq != std::string::npos && eq > 0 && known(std::string_view(w).substr(0, eq)))
            set(w.substr(0, eq), w.substr(eq + 1));
        else
            positional.push_back(std::move(w));
    }
    // Positional words fill the arguments not named, in order; the last takes the rest.
    std::vector<const mcp::PromptArgument*> open;
    for (const auto& a : p.arguments) {
        bool named = false;
        for (const auto& [k, v] : values)
            named = named || k == a.name;
        if (!named)
            open.push_back(&a);
    }
    if (!positional.empty() && open.empty())
        return fail(usage(p, fmt::format("'{}' is one word too many", positional.front())));
    for (size_t i = 0; i < positional.size() && i + 1 < open.size(); ++i)
        set(open[i]->name, positional[i]);
    if (!positional.empty() && positional.size() >= open.size()) {
        std::string rest = positional[open.size() - 1];
        for (size_t i = open.size(); i < positional.size(); ++i)
            rest += " " + positional[i];
        set(open.back()->name, std::move(rest));
    }
    for (const auto& a : p.arguments) {
        bool given = false;
        for (const auto& [k, v] : values)
            given = given || k == a.name;
        if (a.required && !given)
            return fail(usage(p, fmt::format("missing '{}'", a.name)));
    }
    std::string out = "{";
    for (const auto& [k, v] : values)
        out += fmt::format("{}{}:{}", out.size() > 1 ? "," : "", json_string(k), json_string(v));
    return out + "}";
}

void get_mcp_prompt(const McpPromptRef& p, std::string_view typed, std::function<void(Result<std::string> text)> done)
{
    const McpRuntime* rt = current_mcp();
    mcp::Server* server = rt ? rt->manager->server(p.server) : nullptr;
    auto args = mcp_prompt_arguments(p, typed);
    if (!server || !args) {
        done(args ? fail(ErrorCode::network, "MCP server '{}' is gone", p.server) : fail(args.error()));
        return;
    }
    std::string params = fmt::format(R"({{"name":{},"arguments":{}}})", json_string(p.prompt), *args);
    server->request(
        "prompts/get", std::move(params), [](const json::value& v) { return mcp::prompt_outcome(v); },
        [done = std::move(done), name = p.command](mcp::CallOutcome o) {
            if (o.is_error)
                done(fail(ErrorCode::provider, "/{}: {}", name, o.text));
            else
                done(std::move(o.text));
        });
}

void run_mcp_prompt(CommandHost& host, const McpPromptRef& prompt, std::string_view typed)
{
    get_mcp_prompt(prompt, typed, [&host](Result<std::string> text) {
        if (!text) {
            host.print(text.error().message(), Tone::error);
            return;
        }
        if (auto r = host.send_prompt(std::move(*text)); !r)
            host.print(r.error().message(), Tone::error);
    });
}

std::optional<Result<std::string>> headless_mcp_prompt(Loop& loop, std::string_view line, const int& signal_seen)
{
    auto parsed = parse_command(line);
    if (!parsed || !parsed->name.starts_with(mcp::tool_prefix))
        return std::nullopt;
    const SlashCommand* c = find_command(parsed->name);
    if (!c || !c->mcp_prompt)
        return std::nullopt;
    std::optional<Result<std::string>> out;
    get_mcp_prompt(*c->mcp_prompt, parsed->args, [&out](Result<std::string> text) { out = std::move(text); });
    if (auto r = loop.run_until([&] { return out.has_value() || signal_seen != 0; }); !r)
        return Result<std::string>(fail(r.error()));
    if (!out)
        return Result<std::string>(
            fail(ErrorCode::interrupted, "/{} was stopped before anything was sent", parsed->name));
    return out;
}

} // namespace ik::app
