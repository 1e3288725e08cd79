#include "agent/ext/custom_commands.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "agent/ext/ext_files.h"
#include "agent/ext/front_matter.h"

namespace ik::agent {
namespace fs = std::filesystem;
namespace {

constexpr int max_depth = 3; // namespaces: a/b/c/name.md

bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
        || c == '.';
}

// "git/commit.md" -> "git:commit"; nullopt for a name with other characters.
std::optional<std::string> command_name(const fs::path& relative)
{
    std::string name;
    for (const fs::path& part : relative.parent_path()) {
        name += part.string();
        name += ':';
    }
    name += relative.stem().string();
    std::string_view check = name;
    if (check.empty() || check.front() == ':' || check.back() == ':')
        return std::nullopt;
    for (char c : check)
        if (c != ':' && !name_char(c))
            return std::nullopt;
    return name;
}

// The first non-empty line of the body, as the description of a file that
// gives none (Claude Code does the same).
std::string first_line(std::string_view body)
{
    while (!body.empty()) {
        size_t end = body.find('\n');
        std::string_view line = body.substr(0, end);
        while (!line.empty() && (line.front() == ' ' || line.front() == '#' || line.front() == '\t'))
            line.remove_prefix(1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        if (!line.empty())
            return std::string(line.substr(0, 100));
        if (end == std::string_view::npos)
            break;
        body.remove_prefix(end + 1);
    }
    return {};
}

void scan_dir(Loop& loop, const fs::path& dir, const fs::path& beneath, std::string_view source, CommandScan& out)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return;
    std::vector<fs::path> files;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() >= max_depth)
            it.disable_recursion_pending();
        if (it->path().extension() == ".md" && !it->is_directory(ec))
            files.push_back(it->path());
        if (files.size() > max_custom_commands)
            break;
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
        fs::path relative = file.lexically_relative(dir);
        std::string shown = fmt::format("{}/{}", source, relative.string());
        auto name = command_name(relative);
        if (!name) {
            out.notes.push_back(fmt::format("{}: not a command name (letters, digits, _ - . only), skipped", shown));
            continue;
        }
        bool taken = std::any_of(
            out.commands.begin(), out.commands.end(), [&](const CustomCommand& c) { return c.name == *name; });
        if (taken)
            continue; // an earlier directory has it
        if (out.commands.size() >= max_custom_commands) {
            out.notes.push_back(fmt::format("more than {} custom commands: the rest are skipped", max_custom_commands));
            return;
        }
        auto text = read_extension_file(loop, beneath, file, max_command_file);
        if (!text) {
            out.notes.push_back(fmt::format("{}: skipped: {}", shown, text.error().message()));
            continue;
        }
        auto doc = parse_front_matter(*text, shown);
        if (!doc) {
            out.notes.push_back(fmt::format("{} (skipped)", doc.error().message()));
            continue;
        }
        CustomCommand c;
        c.name = std::move(*name);
        c.description = one_line(doc->value("description"));
        if (c.description.empty())
            c.description = one_line(first_line(doc->body));
        c.argument_hint = one_line(doc->value("argument-hint"));
        c.model = std::string(doc->value("model"));
        c.allowed_tools = doc->list("allowed-tools");
        c.path = file;
        c.root = beneath;
        c.source = std::string(source);
        out.commands.push_back(std::move(c));
    }
}

} // namespace

CommandScan scan_commands(Loop& loop, const CommandSources& sources)
{
    CommandScan out;
    std::error_code ec;
    if (!sources.project_root.empty()) {
        fs::path root = fs::weakly_canonical(sources.project_root, ec);
        scan_dir(loop, sources.project_root / ".ik" / "commands", root, ".ik/commands", out);
        scan_dir(loop, sources.project_root / ".claude" / "commands", root, ".claude/commands", out);
    }
    if (!sources.user_dir.empty()) {
        fs::path real = fs::weakly_canonical(sources.user_dir, ec);
        scan_dir(loop, sources.user_dir, real, sources.user_label, out);
    }
    std::sort(out.commands.begin(), out.commands.end(),
        [](const CustomCommand& a, const CustomCommand& b) { return a.name < b.name; });
    return out;
}

Result<std::string> load_command_body(Loop& loop, const CustomCommand& command)
{
    std::string text = TRY(read_extension_file(loop, command.root, command.path, max_command_file));
    auto doc = TRY(parse_front_matter(text, command.path.filename().string()));
    return std::string(doc.body);
}

} // namespace ik::agent
