#include "agent/session_rule.h"

#include <array>
#include <vector>

#include <fmt/format.h>

namespace ik::agent {
namespace {

// Programs whose second word selects what they do, so "always" for
// `git status` must not allow `git push`.
constexpr std::array<std::string_view, 22> with_subcommands
    = { "git", "npm", "pnpm", "yarn", "bun", "cargo", "go", "docker", "podman", "kubectl", "gh", "pip", "pip3", "uv",
          "poetry", "apt", "apt-get", "brew", "systemctl", "make", "dotnet", "rustup" };

std::vector<std::string_view> words(std::string_view s)
{
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t')
            ++i;
        if (i > start)
            out.push_back(s.substr(start, i - start));
    }
    return out;
}

bool has_subcommands(std::string_view program)
{
    for (std::string_view p : with_subcommands)
        if (p == program)
            return true;
    return false;
}

bool is_file_tool(const ApprovalRequest& request)
{
    return request.kind != ToolKind::runs && !request.preview.full_path.empty();
}

} // namespace

SessionRule derive_session_rule(const ApprovalRequest& request, const std::filesystem::path& project_root)
{
    if (is_file_tool(request)) {
        std::filesystem::path dir = request.preview.full_path.lexically_normal().parent_path();
        std::string shown_dir = dir.string();
        if (!project_root.empty()) {
            auto rel = dir.lexically_relative(project_root.lexically_normal());
            if (!rel.empty() && *rel.begin() != "..")
                shown_dir = rel == "." ? std::string() : rel.string();
        }
        std::string shown = fmt::format("{} {}{}*", request.tool, shown_dir, shown_dir.empty() ? "" : "/");
        std::string prefix = dir.string();
        return SessionRule{ ApprovalRule{ request.tool, prefix, fmt::format("{}:{}/*", request.tool, prefix) }, shown };
    }
    if (request.kind != ToolKind::runs)
        return SessionRule{ ApprovalRule{ request.tool, "", request.tool }, request.tool };
    const std::string& command = request.preview.command;
    auto w = words(command);
    std::string prefix;
    std::string shown;
    if (!is_simple_command(command) || w.empty()) {
        // Exactly this command (collapsed spaces); allow rules never match a
        // compound command, so it is shown as what it is.
        for (auto word : w)
            prefix += (prefix.empty() ? "" : " ") + std::string(word);
        shown = prefix;
    } else {
        prefix = std::string(w[0]);
        if (w.size() > 1 && has_subcommands(w[0]) && !w[1].starts_with('-'))
            prefix += " " + std::string(w[1]);
        shown = prefix + " *";
    }
    return SessionRule{ ApprovalRule{ "bash", prefix, "bash:" + prefix }, shown };
}

bool session_rule_allows(const ApprovalRule& rule, const ApprovalRequest& request)
{
    if (rule.tool != request.tool)
        return false;
    if (rule.prefix.empty())
        return true;
    if (rule.tool == "bash")
        return allow_prefix_matches(rule.prefix, request.preview.command);
    // A file rule: the file is directly in the rule's directory.
    const auto& path = request.preview.full_path;
    return !path.empty() && path.lexically_normal().parent_path() == std::filesystem::path(rule.prefix);
}

} // namespace ik::agent
