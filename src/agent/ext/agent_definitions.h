// AgentDefinitions — the kinds of sub-agent a project and its user define as
// files, offered to the model through the task tool's `agent` argument.
//
// Searched, first found wins for a name, so the project's definitions
// override the user's:
//   <project>/.ik/agents/*.md  <project>/.claude/agents/*.md
//   $XDG_CONFIG_HOME/ik/agents/*.md (~/.config/ik/agents/)
// Each file is one definition (agent_file.h). The walk is bounded: only the
// directories' own *.md files (no recursion), at most max_agent_files files
// read, each at most max_agent_file bytes, read confined beneath the root it
// was found under (a symlink out of the project is refused). A file that
// cannot be read or parsed is skipped with a note naming it (and the line);
// nothing here is fatal.
//
//   AgentDefinitions defs = scan_agent_definitions(loop, agent_sources(project_root));
//   for (const std::string& note : defs.notes()) warn(note);
//   const AgentDefinition* d = defs.find("reviewer");
//
// Owns its definitions and notes (heap); immutable after the scan, so the
// sessions of one process share it (SessionSettings::agent_definitions).
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/ext/agent_file.h"
#include "core/loop.h"

namespace ik::agent {

inline constexpr size_t max_agent_file = size_t{ 128 } * 1024;
inline constexpr size_t max_agent_files = 200; // files read, over all directories
inline constexpr size_t max_offered_agents = 32; // listed in the task tool's description
inline constexpr size_t max_offer_bytes = size_t{ 4 } * 1024; // the list, at most

// The task tool as a session with definitions offers it: its description
// with the definitions listed (capped: max_offered_agents, max_offer_bytes,
// so a hundred files cannot bloat every request) and its schema with an
// `agent` property. Empty strings without definitions.
struct TaskOffer {
    std::string description;
    std::string parameters;
};

struct AgentSources {
    std::filesystem::path project_root; // empty: none
    std::filesystem::path user_dir; // the user's agents directory; empty: none
};

class AgentDefinitions {
public:
    AgentDefinitions() = default;
    AgentDefinitions(std::vector<AgentDefinition> definitions, std::vector<std::string> notes);

    // In search order (project first); names are unique.
    std::span<const AgentDefinition> list() const { return m_definitions; }
    const AgentDefinition* find(std::string_view name) const;
    bool empty() const { return m_definitions.empty(); }
    // One line per file left out.
    std::span<const std::string> notes() const { return m_notes; }
    const TaskOffer& task_offer() const { return m_offer; }

private:
    std::vector<AgentDefinition> m_definitions;
    std::vector<std::string> m_notes;
    TaskOffer m_offer;
};

// The offer for these definitions (agent_offer.cc).
TaskOffer make_task_offer(std::span<const AgentDefinition> definitions);

// The sources for a project: its root and $XDG_CONFIG_HOME/ik/agents.
AgentSources agent_sources(const std::filesystem::path& project_root);

AgentDefinitions scan_agent_definitions(Loop& loop, const AgentSources& sources);

} // namespace ik::agent
