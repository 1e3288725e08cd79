#include "agent/ext/shell_expansion.h"

#include <optional>

#include <fmt/format.h>

#include "agent/ext/command_text.h"
#include "agent/tools/registry.h"
#include "core/arena.h"

namespace ik::agent {
namespace {

using namespace std::chrono_literals;

// What goes in place of the span: the bash tool's text, without its status
// line when the command succeeded (the output reads inline, as in Claude
// Code); a failure keeps it, so the model sees the command failed.
std::string inline_output(ToolResult result)
{
    std::string& text = result.content;
    if (result.state == ToolState::ran && result.exit_code == 0) {
        if (text.ends_with("[exit code 0]"))
            text.resize(text.size() - std::string_view("[exit code 0]").size());
        if (text == "(no output)\n")
            text.clear();
    }
    while (text.ends_with('\n'))
        text.pop_back();
    return std::move(text);
}

class Expansion final : public ShellExpansion {
public:
    Expansion(ExpansionDeps deps, std::string text, std::vector<ApprovalRule> extra_allow, Done done)
        : m_deps(deps)
        , m_policy(deps.settings.approval)
        , m_text(std::move(text))
        , m_spans(find_shell_spans(m_text))
        , m_done(std::move(done))
        , m_arena(mem::root(), "expansion")
        , m_ctx{ .loop = deps.loop,
            .cwd = deps.settings.cwd,
            .sandbox = deps.settings.sandbox.get(),
            .private_dirs = deps.settings.approval.private_dirs,
            .beneath = {} }
    {
        for (ApprovalRule& r : extra_allow)
            m_policy.allow.push_back(std::move(r));
    }

    ~Expansion() override
    {
        if (m_timer)
            m_deps.loop.cancel(*m_timer);
        *m_alive = false;
    }

    void begin()
    {
        defer([this] { next(); });
    }

    void cancel() override
    {
        m_cancelled = true;
        if (m_run)
            m_run->cancel();
    }

private:
    void defer(std::function<void()> f)
    {
        m_timer = m_deps.loop.after(0ms, [this, f = std::move(f)] {
            m_timer.reset();
            f();
        });
    }

    // The next span: decide, maybe ask, run; or finish.
    void next()
    {
        if (m_outputs.size() == m_spans.size()) {
            finish();
            return;
        }
        const ShellSpan& span = m_spans[m_outputs.size()];
        if (m_cancelled) {
            skip(fmt::format("!`{}` not run: cancelled", span.command));
            return;
        }
        const ToolDescriptor* bash = find_tool("bash");
        m_args.reset(); // before its memory goes
        m_arena.reset();
        json::object args(json::storage(m_arena));
        args["command"] = span.command;
        m_args.emplace(std::move(args), json::storage(m_arena));
        auto preview = preview_tool(m_ctx, *bash, *m_args);
        if (!preview) {
            skip(fmt::format("!`{}` not run: {}", span.command, preview.error().message()));
            return;
        }
        m_request = make_approval_request(fmt::format("expand-{}", m_outputs.size() + 1), *bash, std::move(*preview));
        Decision decision = decide(m_policy, m_deps.allows, m_request);
        if (decision.verdict == Verdict::ask && m_deps.observer.can_ask()) {
            std::shared_ptr<bool> alive = m_alive;
            m_deps.observer.ask_approval(m_request, [this, alive](UserAnswer answer) {
                if (!*alive)
                    return;
                decided(apply_user_answer(answer, m_request, m_deps.allows));
            });
            return;
        }
        if (decision.verdict == Verdict::ask)
            decision = resolve_headless(std::move(decision));
        decided(decision);
    }

    void decided(const Decision& decision)
    {
        const ShellSpan& span = m_spans[m_outputs.size()];
        if (decision.verdict != Verdict::allow) {
            skip(fmt::format("!`{}` not run: {}", span.command, decision.reason));
            return;
        }
        m_deps.observer.on_notice(fmt::format("running !`{}`", span.command));
        m_run = start_tool(m_ctx, *find_tool("bash"), *m_args, [this](ToolResult result) {
            // A ToolRun must not be destroyed inside its own completion.
            defer([this, result = std::move(result)]() mutable {
                m_run.reset();
                if (result.is_error)
                    m_deps.observer.on_notice(
                        fmt::format("!`{}`: {}", m_spans[m_outputs.size()].command, result.summary));
                m_outputs.push_back(inline_output(std::move(result)));
                next();
            });
        });
    }

    void skip(std::string note)
    {
        m_deps.observer.on_notice(note);
        m_outputs.push_back(fmt::format("[{}]", note));
        defer([this] { next(); });
    }

    void finish()
    {
        std::string out;
        size_t at = 0;
        for (size_t i = 0; i < m_spans.size(); ++i) {
            out.append(m_text, at, m_spans[i].begin - at);
            out += m_outputs[i];
            at = m_spans[i].end;
        }
        out.append(m_text, at);
        Done done = std::move(m_done);
        done(std::move(out)); // may destroy this
    }

    ExpansionDeps m_deps;
    ApprovalPolicy m_policy;
    std::string m_text;
    std::vector<ShellSpan> m_spans;
    std::vector<std::string> m_outputs; // one per span done
    Done m_done;
    mem::Arena m_arena; // the current call's arguments
    std::optional<json::value> m_args; // in m_arena
    ToolContext m_ctx;
    ApprovalRequest m_request;
    std::unique_ptr<ToolRun> m_run;
    std::optional<Loop::TimerId> m_timer;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    bool m_cancelled = false;
};

} // namespace

std::unique_ptr<ShellExpansion> ShellExpansion::start(
    ExpansionDeps deps, std::string text, std::vector<ApprovalRule> extra_allow, Done done)
{
    auto x = std::make_unique<Expansion>(deps, std::move(text), std::move(extra_allow), std::move(done));
    x->begin();
    return x;
}

} // namespace ik::agent
