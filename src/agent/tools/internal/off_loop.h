// Running a tool's work off the loop thread (core/thread_job.h).
//
// grep and glob can spend seconds on a big tree; on the loop they would stall
// the REPL's keys and frames and the stream of a reply. Their work runs on a
// worker thread instead, and the result comes back through the loop.
//
// The work receives its own copy of the context's paths (the turn sets
// `beneath` anew for the next call while this one runs) with the loop-side
// objects (sandbox, jobs, todos, web settings) cleared: it may use files,
// heap strings and its stop token, never the loop or an arena. It should
// check the token between files; cancel() requests the stop and the
// Completion then receives a cancelled result.
#pragma once

#include <functional>
#include <memory>
#include <stop_token>
#include <string_view>

#include "agent/tools/internal/builtin.h"
#include "agent/tools/tool.h"

namespace ik::agent::internal {

using OffLoopWork = std::function<ToolResult(const ToolContext& ctx, const std::stop_token& stop)>;

std::unique_ptr<ToolRun> run_off_loop(ToolContext& ctx, std::string_view tool, OffLoopWork work, Completion done);

// The whole `start` of such a tool: arguments parsed on the loop (from the
// call's arena into owned `Args`), a parse error delivered at once, the work
// on the worker with its own copy of the arguments.
template <typename Args>
std::unique_ptr<ToolRun> start_off_loop(ToolContext& ctx, std::string_view tool, Result<Args> args,
    Result<ToolResult> (*work)(const ToolContext&, const Args&, const std::stop_token&), Completion done)
{
    if (!args)
        return deliver_later(ctx.loop, ToolResult::from(args.error()), std::move(done));
    return run_off_loop(
        ctx, tool,
        [work, owned = std::move(*args)](
            const ToolContext& c, const std::stop_token& stop) { return ToolResult::from(work(c, owned, stop)); },
        std::move(done));
}

} // namespace ik::agent::internal
