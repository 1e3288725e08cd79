#include <memory>

#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"
#include "app/undo_cmd.h"

namespace ik::app::slash {
namespace {

// The prepared undo and the arena its views live in, kept alive while the
// user answers the question.
struct Pending {
    mem::Arena arena{ mem::root(), "undo" };
    std::optional<agent::Undo> undo;
};

Result<void> apply(CommandHost& host, Pending& p, agent::UndoForce force)
{
    size_t files = TRY(p.undo->apply(host.store(), force));
    host.print(undo_done_text(*p.undo, files), Tone::dim);
    return {};
}

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(undo));
    std::string_view id = host.session().id();
    if (id.empty())
        return fail(ErrorCode::not_found, "nothing to undo yet");
    auto pending = std::make_shared<Pending>();
    pending->undo = TRY(agent::Undo::prepare(pending->arena, host.store(), id, agent::default_checkpoints_dir()));
    if (pending->undo->conflicts().empty())
        return apply(host, *pending, agent::UndoForce::no);
    // Files the user changed after the turn are overwritten only when asked.
    host.pick(fmt::format("Changed after the turn: {}. Undo anyway and overwrite them?", conflict_list(*pending->undo)),
        { { "No, keep my changes", "no" }, { "Yes, undo and overwrite them", "yes" } }, 0,
        [&host, pending](const PickItem& item) -> Result<void> {
            if (item.value != "yes") {
                host.print("Not undone.", Tone::dim);
                return {};
            }
            return apply(host, *pending, agent::UndoForce::yes);
        });
    return {};
}

} // namespace

const SlashCommand undo{ "undo", "", "restore the files of the last turn not yet undone (repeat for earlier turns)",
    run };

} // namespace ik::app::slash
