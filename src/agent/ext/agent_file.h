// One agent definition file: `.ik/agents/<name>.md`, `.claude/agents/<name>.md`
// or `~/.config/ik/agents/<name>.md`: front matter (front_matter.h) with
// `name`, `description`, `tools` and `model`, then the body, which is the
// sub-agent's system prompt. The shape is Claude Code's, so its agent files
// work in ik unchanged.
//
// The file is untrusted (a cloned repository ships it): the name must be
// 1-64 of [a-z0-9_-], the description is one line of at most
// max_agent_description bytes, control characters (escape sequences) are
// removed from everything, invalid UTF-8 is repaired, and a NUL byte means
// the file is not text. Claude Code's tool names (Read, Bash, …) map to ik's
// (read_file, bash, …); its model aliases (sonnet, opus, haiku) map to the
// current Anthropic models and `inherit` to none (the parent's model).
//
//   AgentDefinition d = TRY(parse_agent_file(text, ".ik/agents/reviewer.md", "reviewer"));
//
// AgentDefinition owns its strings (heap).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ik::agent {

inline constexpr size_t max_agent_name = 64;
inline constexpr size_t max_agent_description = 300; // bytes, one line
inline constexpr size_t max_agent_tools = 64;
inline constexpr size_t max_agent_model = 200; // bytes of a model spec

struct AgentDefinition {
    std::string name; // "reviewer"
    std::string description; // one line, capped
    std::vector<std::string> tools; // ik tool names (built-in or MCP); empty: all of the parent's
    std::string model; // "provider/model"; empty: the parent's
    bool model_is_alias = false; // from sonnet/opus/haiku: the parent's model when that one cannot be used
    std::string prompt; // the body: the sub-agent's instructions
    std::string source; // the file as shown: ".ik/agents/reviewer.md"
};

// True for 1-64 characters of [a-z0-9_-].
bool valid_agent_name(std::string_view name);

// Parses one file's whole `text`; `shown` names it in errors
// ("<shown>:3: …", ErrorCode::parse, or invalid_argument for a bad value),
// `stem` (the file name without .md) is the name when the front matter has
// none.
Result<AgentDefinition> parse_agent_file(std::string_view text, std::string_view shown, std::string_view stem);

// Claude Code's tool name for `name` as ik calls it ("Read" -> "read_file");
// any other name unchanged.
std::string_view ik_tool_name(std::string_view name);

// Claude Code's model alias ("sonnet") as a model spec; `known` is false
// for anything else, and `spec` is empty for `inherit`.
struct ModelAlias {
    bool known = false;
    std::string_view spec; // empty with known: inherit
};
ModelAlias claude_model_alias(std::string_view name);

} // namespace ik::agent
