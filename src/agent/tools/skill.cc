// skill: loads a skill (agent/ext/skills.h) when the model decides one
// applies: its instructions and the list of its files, or one of those
// files. The system prompt names the skills; their bodies cost tokens only
// when used. Read-only and approval-free like read_file: it reads only
// SKILL.md files and the files beside them, confined beneath the directory
// each skill was found under (which may be ik's configuration directory,
// ~/.config/ik/skills, which read_file may not open: hence `file`).
#include <fmt/format.h>

#include "agent/ext/skills.h"
#include "agent/instructions.h"
#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/files.h"

namespace ik::agent::internal {
namespace {

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string", "description": "The skill to load, as the system prompt names it. Without a name: the list of skills."},
    "file": {"type": "string", "description": "One of the skill's files to read, relative to the skill's directory, as its instructions or file list name it."}
  },
  "additionalProperties": false
})";

std::string listing(std::span<const Skill> skills)
{
    if (skills.empty())
        return "No skills are installed (.ik/skills, .claude/skills, .agents/skills, ~/.config/ik/skills).";
    std::string out = "Skills:\n";
    for (const Skill& s : skills)
        out += fmt::format("- {}: {}\n", s.name, s.description);
    return out;
}

Result<ToolResult> load(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(Args::make("skill", value));
    auto name = TRY(args.optional_string("name"));
    auto file = TRY(args.optional_string("file"));
    // Scanned again on each call: a skill added or edited since the session
    // started is found, and nothing is held between calls.
    SkillScan scan = scan_skills(ctx.loop, skill_sources(find_project_root(ctx.cwd)));
    ToolResult result;
    if (!name || name->empty()) {
        result.content = listing(scan.skills);
        result.summary = fmt::format("{} skills", scan.skills.size());
        return result;
    }
    auto it = std::find_if(scan.skills.begin(), scan.skills.end(), [&](const Skill& s) { return s.name == *name; });
    if (it == scan.skills.end())
        return fail(ErrorCode::not_found, "skill: no skill named '{}'. {}", *name, listing(scan.skills));
    if (file) {
        std::string text = TRY_CONTEXT(read_skill_file(ctx.loop, *it, *file), "skill {}", *name);
        result.summary = fmt::format("{}/{} ({} lines)", it->name, *file, count_lines(text));
        result.content = sanitize_utf8(text);
        return result;
    }
    std::string body = TRY_CONTEXT(load_skill_body(ctx.loop, *it), "skill {}", *name);
    result.content = fmt::format("<skill name=\"{}\" dir=\"{}\">\n{}", it->name, it->dir.string(), sanitize_utf8(body));
    if (!result.content.ends_with('\n'))
        result.content += '\n';
    result.content += "</skill>\n";
    std::vector<std::string> files = skill_files(*it);
    if (!files.empty()) {
        result.content += "\nThe skill's files (read one with the skill tool's `file` argument):\n";
        for (const std::string& f : files)
            result.content += fmt::format("- {}\n", f);
    }
    result.summary = fmt::format("{} ({} lines, {} files)", it->name, count_lines(body), files.size());
    return result;
}

ToolResult run(ToolContext& ctx, const json::value& args)
{
    return ToolResult::from(load(ctx, args));
}

} // namespace

const ToolDescriptor skill_tool{
    .name = "skill",
    .description = "Load a skill named in the system prompt: its instructions and the list of its files; with "
                   "`file`, one of those files. Load a skill when the task matches its description.",
    .parameters = schema,
    .kind = ToolKind::reads,
    .run = run,
    .start = nullptr,
    // No path for approval to judge: it reads only what the skill
    // directories hold, confined beneath them (see the top).
    .preview = [](ToolContext&, const json::value&) -> Result<ToolPreview> { return ToolPreview{}; },
    .needs_skills = true,
};

} // namespace ik::agent::internal
