// /context: what fills the model's window, by tokens, drawn as a bar.
#include <array>

#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

constexpr int bar_width = 50;

struct Part {
    std::string_view name;
    int64_t tokens;
    char glyph;
};

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(context));
    const agent::Session& s = host.session();
    agent::WindowBreakdown b = s.context().breakdown(s.conversation(), s.request_shape());
    std::array<Part, 7> parts = { {
        { "system prompt", b.system, 's' },
        { "tool definitions", b.tools, 't' },
        { "AGENTS.md", b.instructions, 'a' },
        { "messages", b.messages, 'm' },
        { "tool results", b.tool_results, 'r' },
        { "summary", b.summary, 'S' },
        { "free", b.free(), '.' },
    } };
    int64_t window = std::max<int64_t>(b.window, b.used());
    std::string bar;
    for (const Part& p : parts) {
        int64_t cells = window > 0 ? (p.tokens * bar_width + window / 2) / window : 0;
        if (p.tokens > 0 && cells == 0)
            cells = 1;
        bar.append(static_cast<size_t>(std::min<int64_t>(cells, bar_width)), p.glyph);
    }
    bar.resize(bar_width, '.');
    std::string text = fmt::format("Context window of {}: ~{} of {} tokens used ({}%)\n[{}]\n", s.settings().model_spec,
        b.used(), b.window, b.window > 0 ? b.used() * 100 / b.window : 0, bar);
    for (const Part& p : parts)
        text += fmt::format("  {} {:<17} {:>8} tokens\n", p.glyph, p.name, p.tokens);
    text += fmt::format("Estimates at {:.2f} bytes per token (calibrated by the last usage report); compaction "
                        "starts near {:.0f}% of the window.",
        s.context().estimator().bytes_per_token(), 100 * s.context().threshold());
    host.print(text);
    return {};
}

} // namespace

const SlashCommand context{ "context", "", "what fills the context window, by tokens", run, true };

} // namespace ik::app::slash
