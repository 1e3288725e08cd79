#include "agent/tools/internal/off_loop.h"

#include <vector>

#include "agent/tools/internal/builtin.h"
#include "core/thread_job.h"

namespace ik::agent::internal {

namespace {

class OffLoopRun final : public ToolRun {
public:
    OffLoopRun(ToolContext& ctx, std::string_view tool, Completion done)
        : m_loop(ctx.loop)
        , m_tool(tool)
        , m_done(std::move(done))
        , m_private(ctx.private_dirs.begin(), ctx.private_dirs.end())
        , m_ctx(ctx)
    {
        m_ctx.private_dirs = m_private;
        m_ctx.sandbox = nullptr;
        m_ctx.jobs = nullptr;
        m_ctx.todos = nullptr;
        m_ctx.web = nullptr;
    }

    void start(OffLoopWork work)
    {
        auto job = ThreadJob::start(
            m_loop, [this, work = std::move(work)](const std::stop_token& stop) { m_result = work(m_ctx, stop); },
            [this] { finish(); });
        if (!job) {
            m_later = deliver_later(m_loop, ToolResult::from(job.error()), std::move(m_done));
            return;
        }
        m_job = std::move(*job);
    }

    void cancel() override
    {
        m_cancelled = true;
        if (m_job)
            m_job->request_stop();
    }

private:
    void finish()
    {
        ToolResult r = std::move(m_result);
        if (m_cancelled) {
            r = ToolResult::error(fmt::format("{}: cancelled by the user", m_tool), "cancelled");
            r.state = ToolState::cancelled;
        }
        Completion done = std::move(m_done);
        done(std::move(r)); // may destroy *this: nothing after it
    }

    Loop& m_loop;
    std::string_view m_tool; // a descriptor's name: static
    Completion m_done;
    std::vector<std::filesystem::path> m_private;
    ToolContext m_ctx; // the worker's copy; read only by the worker while it runs
    ToolResult m_result; // written by the worker, read after the join
    bool m_cancelled = false;
    std::unique_ptr<ToolRun> m_later;
    std::unique_ptr<ThreadJob> m_job; // last: joined before the rest goes
};

} // namespace

std::unique_ptr<ToolRun> run_off_loop(ToolContext& ctx, std::string_view tool, OffLoopWork work, Completion done)
{
    auto run = std::make_unique<OffLoopRun>(ctx, tool, std::move(done));
    run->start(std::move(work));
    return run;
}

} // namespace ik::agent::internal
