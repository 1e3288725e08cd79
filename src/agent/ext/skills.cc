#include "agent/ext/skills.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/ext/ext_files.h"
#include "agent/ext/front_matter.h"
#include "agent/instructions.h"

namespace ik::agent {
namespace fs = std::filesystem;
namespace {

constexpr size_t max_prompt_bytes = size_t{ 16 } * 1024;

bool valid_name(std::string_view name)
{
    if (name.empty() || name.size() > 64)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.' || c == ':';
    });
}

void scan_dir(Loop& loop, const fs::path& dir, const fs::path& beneath, std::string_view source, SkillScan& out)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return;
    std::vector<fs::path> dirs;
    for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->is_directory(ec) && fs::exists(it->path() / "SKILL.md", ec))
            dirs.push_back(it->path());
        if (dirs.size() > max_skills)
            break;
    }
    std::sort(dirs.begin(), dirs.end());
    for (const fs::path& d : dirs) {
        std::string shown = fmt::format("{}/{}/SKILL.md", source, d.filename().string());
        if (out.skills.size() >= max_skills) {
            out.notes.push_back(fmt::format("more than {} skills: the rest are skipped", max_skills));
            return;
        }
        auto text = read_extension_file(loop, beneath, d / "SKILL.md", max_skill_file);
        if (!text) {
            out.notes.push_back(fmt::format("{}: skipped: {}", shown, text.error().message()));
            continue;
        }
        auto doc = parse_front_matter(*text, shown);
        if (!doc) {
            out.notes.push_back(fmt::format("{} (skipped)", doc.error().message()));
            continue;
        }
        std::string name(doc->value("name"));
        if (name.empty())
            name = d.filename().string();
        if (!valid_name(name)) {
            out.notes.push_back(fmt::format(
                "{}: skipped: the name '{}' is not 1-64 letters, digits, - _ . :", shown, one_line(name, 80)));
            continue;
        }
        if (doc->value("description").empty()) {
            out.notes.push_back(fmt::format("{}: skipped: no description in its front matter", shown));
            continue;
        }
        bool taken = std::any_of(out.skills.begin(), out.skills.end(), [&](const Skill& s) { return s.name == name; });
        if (taken)
            continue; // an earlier directory has it
        out.skills.push_back(Skill{ .name = std::move(name),
            .description = one_line(doc->value("description"), max_skill_description),
            .dir = d,
            .root = beneath,
            .source = std::string(source) });
    }
}

} // namespace

SkillSources skill_sources(const fs::path& project_root)
{
    SkillSources s;
    s.project_root = project_root;
    fs::path user = user_config_dir();
    if (!user.empty())
        s.user_dir = user / "skills";
    return s;
}

SkillScan scan_skills(Loop& loop, const SkillSources& sources)
{
    SkillScan out;
    std::error_code ec;
    if (!sources.project_root.empty()) {
        fs::path root = fs::weakly_canonical(sources.project_root, ec);
        for (std::string_view d : { ".ik/skills", ".claude/skills", ".agents/skills" })
            scan_dir(loop, sources.project_root / d, root, d, out);
    }
    if (!sources.user_dir.empty())
        scan_dir(loop, sources.user_dir, fs::weakly_canonical(sources.user_dir, ec), "~/.config/ik/skills", out);
    return out;
}

std::string skills_prompt(std::span<const Skill> skills)
{
    if (skills.empty())
        return {};
    std::string out = "# Skills\nSkills are instructions (and files) for particular tasks. When a task matches a "
                      "skill's description, call the skill tool with its name to load it before you start; "
                      "load only what the task needs.\n";
    size_t listed = 0;
    for (const Skill& s : skills) {
        std::string line = fmt::format("- {}: {}\n", s.name, s.description);
        if (listed == max_prompt_skills || out.size() + line.size() > max_prompt_bytes)
            break;
        out += line;
        ++listed;
    }
    if (listed < skills.size())
        out += fmt::format("({} more skills are not listed here; the skill tool without a name lists them all.)\n",
            skills.size() - listed);
    return out;
}

Result<std::string> load_skill_body(Loop& loop, const Skill& skill)
{
    std::string text = TRY(read_extension_file(loop, skill.root, skill.dir / "SKILL.md", max_skill_file));
    auto doc = TRY(parse_front_matter(text, fmt::format("{}/SKILL.md", skill.name)));
    return std::string(doc.body);
}

std::vector<std::string> skill_files(const Skill& skill)
{
    std::vector<std::string> out;
    std::error_code ec;
    size_t more = 0;
    fs::recursive_directory_iterator it(skill.dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() >= 4)
            it.disable_recursion_pending();
        if (it->is_directory(ec))
            continue;
        if (out.size() == max_skill_files) {
            ++more;
            continue;
        }
        out.push_back(one_line(it->path().lexically_relative(skill.dir).string(), 300));
    }
    std::sort(out.begin(), out.end());
    if (more > 0)
        out.push_back(fmt::format("… and {} more files", more));
    return out;
}

Result<std::string> read_skill_file(Loop& loop, const Skill& skill, std::string_view relative)
{
    fs::path rel = fs::path(relative).lexically_normal();
    if (relative.empty() || rel.is_absolute() || rel.begin() == rel.end() || *rel.begin() == "..")
        return fail(ErrorCode::invalid_argument,
            "'{}' is not a file of the skill (give a path relative to its directory)", relative);
    std::string text = TRY(read_extension_file(loop, skill.root, skill.dir / rel, max_skill_file));
    if (text.find('\0') != std::string::npos)
        return fail(ErrorCode::invalid_argument, "{} is a binary file", relative);
    return text;
}

} // namespace ik::agent
