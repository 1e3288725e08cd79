#include "agent/background_jobs.h"

#include <algorithm>
#include <cstring>

namespace ik::agent {

// A job's process, its arena and the ring in it. The ring is written at
// total % ring_bytes; the newest ring_bytes of output are always there.
struct BackgroundJobs::Entry {
    Job job;
    mem::Arena* arena = nullptr; // child of the registry's arena
    char* ring = nullptr;
    std::unique_ptr<Process> process;

    void append(std::string_view bytes)
    {
        for (char c : bytes.size() > ring_bytes ? bytes.substr(bytes.size() - ring_bytes) : bytes)
            ring[job.total++ % ring_bytes] = c;
        if (bytes.size() > ring_bytes)
            job.total += bytes.size() - ring_bytes;
    }
};

BackgroundJobs::BackgroundJobs(Loop& loop, mem::Arena& parent)
    : m_loop(loop)
    , m_arena(parent, "jobs")
{
}

BackgroundJobs::~BackgroundJobs()
{
    // Each Process kills its group and reaps it; then the arenas go.
    for (auto& e : m_entries) {
        e->process.reset();
        e->arena->destroy();
    }
}

Result<const BackgroundJobs::Job*> BackgroundJobs::start(std::string command, std::vector<std::string> argv,
    std::filesystem::path cwd, std::vector<std::string> env, std::optional<std::string> fd3)
{
    if (running() >= max_running)
        return fail(ErrorCode::invalid_argument,
            "{} background processes are running already (the most ik keeps); end one with process_kill first",
            running());
    auto e = std::make_unique<Entry>();
    Entry* self = e.get();
    e->job.id = fmt::format("bg{}", m_next_id);
    e->job.command = std::move(command);
    e->job.started = std::chrono::system_clock::now();
    e->arena = &m_arena.make_child(e->job.id, { .cap = 0, .block_size = ring_bytes + 256 });
    e->ring = static_cast<char*>(e->arena->alloc(ring_bytes, 1));
    auto process = Process::spawn(m_loop,
        ProcessOptions{ .command = {},
            .argv = std::move(argv),
            .cwd = std::move(cwd),
            .timeout = std::chrono::milliseconds(0),
            .kill_grace = std::chrono::milliseconds(2000),
            .output_cap = 0,
            .mode = OutputMode::merged,
            .env = std::move(env),
            .input = std::nullopt,
            .fd3 = std::move(fd3),
            .pty = true,
            .on_output = [self](std::string_view bytes) { self->append(bytes); } },
        [self](const ProcessResult& r) {
            self->job.running = false;
            self->job.exit_code = r.exit_code;
            self->job.term_signal = r.term_signal;
        });
    if (!process) {
        e->arena->destroy();
        return fail(process.error());
    }
    e->process = std::move(*process);
    e->job.pid = e->process->pid();
    ++m_next_id;
    m_entries.push_back(std::move(e));
    return &self->job;
}

BackgroundJobs::Entry* BackgroundJobs::entry(std::string_view id) const
{
    for (const auto& e : m_entries)
        if (e->job.id == id)
            return e.get();
    return nullptr;
}

const BackgroundJobs::Job* BackgroundJobs::find(std::string_view id) const
{
    Entry* e = entry(id);
    return e ? &e->job : nullptr;
}

static Error no_such_job(std::string_view id)
{
    return { ErrorCode::not_found, fmt::format("no background process '{}' (see the ids bash returned)", id) };
}

Result<BackgroundJobs::Output> BackgroundJobs::output(std::string_view id, size_t since) const
{
    Entry* e = entry(id);
    if (!e)
        return fail(no_such_job(id));
    size_t total = e->job.total;
    size_t oldest = total > ring_bytes ? total - ring_bytes : 0;
    Output out;
    out.to = total;
    out.from = std::clamp(since, oldest, total);
    out.dropped = since < oldest ? oldest - since : 0;
    out.text.reserve(out.to - out.from);
    for (size_t i = out.from; i < out.to; ++i)
        out.text += e->ring[i % ring_bytes];
    return out;
}

Result<void> BackgroundJobs::input(std::string_view id, std::string_view text)
{
    Entry* e = entry(id);
    if (!e)
        return fail(no_such_job(id));
    if (!e->job.running)
        return fail(ErrorCode::invalid_argument, "{} has ended", id);
    return e->process->write_input(text);
}

Result<void> BackgroundJobs::kill(std::string_view id)
{
    Entry* e = entry(id);
    if (!e)
        return fail(no_such_job(id));
    if (e->job.running)
        e->process->cancel();
    return {};
}

std::vector<const BackgroundJobs::Job*> BackgroundJobs::list() const
{
    std::vector<const Job*> out;
    out.reserve(m_entries.size());
    for (const auto& e : m_entries)
        out.push_back(&e->job);
    return out;
}

size_t BackgroundJobs::running() const
{
    return static_cast<size_t>(
        std::count_if(m_entries.begin(), m_entries.end(), [](const auto& e) { return e->job.running; }));
}

} // namespace ik::agent
