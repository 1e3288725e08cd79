// Tools that are not built in: the ones MCP servers offer (agent/mcp_tools.h).
//
// The registry (registry.h) asks the one installed ExternalTools after its
// own table, so the turn loop, approval and the provider request see every
// tool through the same calls. External descriptors point back to their
// source (ToolDescriptor::external), whose start() runs them.
//
// generation() changes whenever the external tool list does; a session
// rebuilds the specs it sends when a turn starts and it has changed (a call of
// a tool listed mid-turn still runs: find() sees it). Descriptors and the strings their
// specs borrow must stay valid as long as the source is installed (a source
// keeps superseded lists, see mcp_tools.h).
//
// Borrowed: set_external_tools() does not own the source; the app installs it
// after creating it and clears it (nullptr) before destroying it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/tools/tool.h"
#include "llm/request.h"

namespace ik::agent {

class ExternalTools {
public:
    virtual ~ExternalTools() = default;
    virtual const ToolDescriptor* find(std::string_view name) = 0;
    virtual void append_specs(std::vector<llm::ToolSpec>& out) = 0;
    virtual uint64_t generation() const = 0;
    // What the source has to tell the model before the next prompt (MCP
    // resources that changed), or "": taken, so it is told once.
    virtual std::string take_notes() { return {}; }
    // Runs `tool` (one of this source's). Same contract as start_tool().
    virtual std::unique_ptr<ToolRun> start(
        const ToolDescriptor& tool, ToolContext& ctx, const json::value& args, Completion done)
        = 0;
};

void set_external_tools(ExternalTools* tools);
ExternalTools* external_tools();
// 0 when none is installed.
uint64_t external_tools_generation();

} // namespace ik::agent
