#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"
#include "app/undo_cmd.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(checkpoints));
    const agent::CheckpointSettings& settings = host.session().settings().checkpoints;
    if (!settings.repo) {
        host.print("Checkpoints are off for this session (config: checkpoints.enabled).", Tone::dim);
        return {};
    }
    checkpoint::ShadowRepo* repo = TRY(settings.repo->get());
    mem::Arena scratch(mem::root(), "checkpoints");
    std::string_view id = host.session().id();
    std::span<const agent::CheckpointEntry> entries;
    if (!id.empty())
        entries = TRY(agent::load_checkpoints(scratch, host.store(), id));
    std::string text
        = entries.empty() ? std::string("No checkpoints in this session yet.\n") : checkpoints_text(entries);
    auto kept = repo->kept(scratch);
    text += fmt::format("{} checkpoint{} kept for {} (keep {}, {} days), {} on disk in {}", kept ? kept->size() : 0,
        kept && kept->size() == 1 ? "" : "s", repo->project().string(), settings.retention.keep,
        settings.retention.max_age_days, human_bytes(repo->disk_usage()), repo->dir().string());
    host.print(text);
    return {};
}

} // namespace

const SlashCommand checkpoints{ "checkpoints", "", "this session's checkpoints and the files each turn changed", run,
    true };

} // namespace ik::app::slash
