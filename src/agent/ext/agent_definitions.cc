#include "agent/ext/agent_definitions.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/ext/ext_files.h"
#include "agent/instructions.h"

namespace ik::agent {
namespace fs = std::filesystem;
namespace {

struct Scan {
    std::vector<AgentDefinition> definitions;
    std::vector<std::string> notes;
    size_t files_read = 0;
};

void scan_dir(Loop& loop, const fs::path& dir, const fs::path& beneath, std::string_view source, Scan& out)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return;
    std::vector<fs::path> files;
    // The directory's own entries only: no recursion, so a symlinked
    // directory loop is never followed; a file symlink that loops fails to open.
    for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == ".md")
            files.push_back(it->path());
        if (files.size() > max_agent_files)
            break;
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
        std::string shown = fmt::format("{}/{}", source, one_line(file.filename().string(), 100));
        if (out.files_read >= max_agent_files) {
            out.notes.push_back(fmt::format("more than {} agent files: the rest are skipped", max_agent_files));
            return;
        }
        ++out.files_read;
        if (fs::is_directory(file, ec))
            continue;
        auto text = read_extension_file(loop, beneath, file, max_agent_file);
        if (!text) {
            out.notes.push_back(fmt::format("{}: skipped: {}", shown, text.error().message()));
            continue;
        }
        auto definition = parse_agent_file(*text, shown, file.stem().string());
        if (!definition) {
            out.notes.push_back(fmt::format("{} (skipped)", definition.error().message()));
            continue;
        }
        auto same = [&](const AgentDefinition& d) { return d.name == definition->name; };
        if (auto it = std::find_if(out.definitions.begin(), out.definitions.end(), same); it != out.definitions.end()) {
            // Earlier sources win; two files of one directory naming the same agent are a mistake worth a note.
            if (fs::path(it->source).parent_path() == fs::path(shown).parent_path())
                out.notes.push_back(fmt::format("{}: skipped: {} already defines '{}'", shown, it->source, it->name));
            continue;
        }
        out.definitions.push_back(std::move(*definition));
    }
}

} // namespace

AgentDefinitions::AgentDefinitions(std::vector<AgentDefinition> definitions, std::vector<std::string> notes)
    : m_definitions(std::move(definitions))
    , m_notes(std::move(notes))
    , m_offer(make_task_offer(m_definitions))
{
}

const AgentDefinition* AgentDefinitions::find(std::string_view name) const
{
    auto it = std::find_if(
        m_definitions.begin(), m_definitions.end(), [&](const AgentDefinition& d) { return d.name == name; });
    return it == m_definitions.end() ? nullptr : &*it;
}

AgentSources agent_sources(const fs::path& project_root)
{
    AgentSources s;
    s.project_root = project_root;
    fs::path user = user_config_dir();
    if (!user.empty())
        s.user_dir = user / "agents";
    return s;
}

AgentDefinitions scan_agent_definitions(Loop& loop, const AgentSources& sources)
{
    Scan out;
    std::error_code ec;
    if (!sources.project_root.empty()) {
        fs::path root = fs::weakly_canonical(sources.project_root, ec);
        for (std::string_view d : { ".ik/agents", ".claude/agents" })
            scan_dir(loop, sources.project_root / d, root, d, out);
    }
    if (!sources.user_dir.empty())
        scan_dir(loop, sources.user_dir, fs::weakly_canonical(sources.user_dir, ec), "~/.config/ik/agents", out);
    return { std::move(out.definitions), std::move(out.notes) };
}

} // namespace ik::agent
