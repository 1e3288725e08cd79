#include "agent/ext/agent_file.h"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "agent/ext/ext_files.h"
#include "agent/ext/front_matter.h"
#include "core/utf8.h"

namespace ik::agent {
namespace {

// Claude Code's names for the tools ik has too. WebSearch has no entry: the
// provider runs ik's web search beside the tools, so it is not a tool name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> claude_tools{ {
    { "Read", "read_file" },
    { "Write", "write_file" },
    { "Edit", "edit_file" },
    { "MultiEdit", "edit_file" },
    { "Bash", "bash" },
    { "Glob", "glob" },
    { "Grep", "grep" },
    { "LS", "list_dir" },
    { "WebFetch", "web_fetch" },
    { "TodoWrite", "todo" },
    { "Task", "task" },
} };

// Claude Code's aliases name Anthropic's current models of each size.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> claude_models{ {
    { "sonnet", "anthropic/claude-sonnet-4-5" },
    { "opus", "anthropic/claude-opus-4-1" },
    { "haiku", "anthropic/claude-haiku-4-5" },
    { "inherit", "" },
} };

// The body as a system prompt: text only, without the control characters
// that would let a file write escape sequences into a transcript or the
// provider's view of the prompt (newlines and tabs stay).
Result<std::string> clean_prompt(std::string_view body, std::string_view shown)
{
    if (body.find('\0') != std::string_view::npos)
        return fail(ErrorCode::invalid_argument, "{}: not a text file (it holds a NUL byte)", shown);
    std::string text = utf8::is_valid(body) ? std::string(body) : utf8::repaired(body);
    std::erase_if(text, [](char c) {
        auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7f;
    });
    auto blank = [](char c) { return c == '\n' || c == ' ' || c == '\t'; };
    while (!text.empty() && blank(text.back()))
        text.pop_back();
    size_t start = 0;
    while (start < text.size() && blank(text[start]))
        ++start;
    text.erase(0, start);
    return text;
}

size_t line_of(const FrontMatter& doc, std::string_view key)
{
    const FrontField* f = doc.find(key);
    return f ? f->line : 1;
}

Result<std::vector<std::string>> tools_of(const FrontMatter& doc, std::string_view shown)
{
    std::vector<std::string> out;
    for (const std::string& item : doc.list("tools")) {
        std::string_view name = item;
        if (size_t paren = name.find('('); paren != std::string_view::npos)
            name = name.substr(0, paren); // "Bash(git diff:*)": Claude Code's per-command rules
        while (!name.empty() && name.back() == ' ')
            name.remove_suffix(1);
        if (name.empty() || name == "WebSearch")
            continue;
        bool plain = name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                || c == '.';
        });
        if (!plain)
            return fail(ErrorCode::invalid_argument, "{}:{}: 'tools' holds a name that is not a tool name: '{}'", shown,
                line_of(doc, "tools"), one_line(name, 60));
        std::string mapped(ik_tool_name(name));
        if (std::find(out.begin(), out.end(), mapped) == out.end())
            out.push_back(std::move(mapped));
        if (out.size() > max_agent_tools)
            return fail(ErrorCode::invalid_argument, "{}:{}: more than {} tools", shown, line_of(doc, "tools"),
                max_agent_tools);
    }
    return out;
}

Result<void> read_model(const FrontMatter& doc, std::string_view shown, AgentDefinition& out)
{
    std::string_view model = doc.value("model");
    if (model.empty())
        return {};
    if (ModelAlias alias = claude_model_alias(model); alias.known) {
        out.model = alias.spec;
        out.model_is_alias = !alias.spec.empty();
        return {};
    }
    bool plain = model.size() <= max_agent_model && std::none_of(model.begin(), model.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
    });
    if (!plain || model.find('/') == std::string_view::npos)
        return fail(ErrorCode::invalid_argument,
            "{}:{}: 'model' is 'provider/model' (as for --model), sonnet, opus, haiku or inherit, not '{}'", shown,
            line_of(doc, "model"), one_line(model, 60));
    out.model = model;
    return {};
}

} // namespace

bool valid_agent_name(std::string_view name)
{
    if (name.empty() || name.size() > max_agent_name)
        return false;
    return std::all_of(name.begin(), name.end(),
        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

std::string_view ik_tool_name(std::string_view name)
{
    for (auto [claude, ik] : claude_tools)
        if (name == claude)
            return ik;
    return name;
}

ModelAlias claude_model_alias(std::string_view name)
{
    for (auto [alias, spec] : claude_models)
        if (name == alias)
            return { .known = true, .spec = spec };
    return {};
}

Result<AgentDefinition> parse_agent_file(std::string_view text, std::string_view shown, std::string_view stem)
{
    if (text.find('\0') != std::string_view::npos)
        return fail(ErrorCode::invalid_argument, "{}:1: not a text file (it holds a NUL byte)", shown);
    FrontMatter doc = TRY(parse_front_matter(text, shown));
    AgentDefinition out;
    std::string_view name = doc.value("name");
    if (name.empty())
        name = stem;
    if (!valid_agent_name(name))
        return fail(ErrorCode::invalid_argument, "{}:{}: the name '{}' is not 1-{} characters of a-z 0-9 - _", shown,
            line_of(doc, "name"), one_line(name, 80), max_agent_name);
    out.name = name;
    std::string_view description = doc.value("description");
    if (description.empty())
        return fail(ErrorCode::invalid_argument, "{}:1: no description in its front matter", shown);
    std::string repaired = utf8::is_valid(description) ? std::string(description) : utf8::repaired(description);
    out.description = one_line(repaired, max_agent_description);
    out.tools = TRY(tools_of(doc, shown));
    TRY(read_model(doc, shown, out));
    out.prompt = TRY(clean_prompt(doc.body, shown));
    if (out.prompt.empty())
        return fail(ErrorCode::invalid_argument, "{}:{}: the body (its system prompt) is empty", shown, doc.body_line);
    out.source = shown;
    return out;
}

} // namespace ik::agent
