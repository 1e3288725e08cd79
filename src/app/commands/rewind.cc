#include <fmt/format.h>

#include "agent/session.h"
#include "agent/undo.h"
#include "app/commands/internal/all.h"
#include "app/undo_cmd.h"

namespace ik::app::slash {
namespace {

// The seq of the mark /rewind goes back to (the newest named `name`, or the
// newest), 0 when there is none.
int64_t mark_seq(const agent::Session& session, std::string_view name)
{
    int64_t seq = 0;
    for (const auto& mark : session.marks()) // the newest match is the last one
        if (name.empty() || mark.name == name)
            seq = mark.seq;
    return seq;
}

// Undoes, newest first, the checkpoints recorded after `after_seq`; stops at
// the first that would overwrite a later change of the user's.
Result<void> restore_files(CommandHost& host, int64_t after_seq)
{
    for (;;) {
        mem::Arena scratch(mem::root(), "rewind undo");
        auto undo = agent::Undo::prepare(scratch, host.store(), host.session().id(), agent::default_checkpoints_dir());
        if (!undo || undo->entry().seq <= after_seq)
            return {};
        if (!undo->conflicts().empty()) {
            host.print(fmt::format("Stopped before \"{}\": changed after that turn: {} (/undo asks to overwrite them).",
                           undo->entry().prompt, conflict_list(*undo)),
                Tone::dim);
            return {};
        }
        size_t files = TRY(undo->apply(host.store(), agent::UndoForce::no));
        host.print(undo_done_text(*undo, files), Tone::dim);
    }
}

// Checkpoints after the mark that are not undone yet: their files can go back too.
size_t checkpoints_after(CommandHost& host, int64_t seq)
{
    if (host.session().id().empty())
        return 0;
    mem::Arena scratch(mem::root(), "rewind");
    auto all = agent::load_checkpoints(scratch, host.store(), host.session().id());
    size_t n = 0;
    if (all)
        for (const agent::CheckpointEntry& e : *all)
            n += e.seq > seq && !e.undone ? 1 : 0;
    return n;
}

Result<void> run(CommandHost& host, std::string_view args)
{
    if (args.find_first_of(" \t\n") != std::string_view::npos)
        return fail(usage_error(rewind));
    int64_t seq = mark_seq(host.session(), args);
    TRY(host.session().rewind(args));
    size_t messages = host.session().conversation().messages().size();
    host.print(fmt::format("Rewound{}{} to {} message{}.", args.empty() ? "" : " to mark ", args, messages,
                   messages == 1 ? "" : "s"),
        Tone::dim);
    size_t turns = seq > 0 ? checkpoints_after(host, seq) : 0;
    if (turns == 0)
        return {};
    // The conversation went back; the files go back only when asked.
    host.pick(fmt::format("Also restore the files the {} turn{} after the mark changed?", turns, turns == 1 ? "" : "s"),
        { { "No, keep the files as they are", "no" }, { "Yes, restore the files too", "yes" } }, 0,
        [&host, seq](const PickItem& item) -> Result<void> {
            if (item.value != "yes")
                return {};
            return restore_files(host, seq);
        });
    return {};
}

} // namespace

const SlashCommand rewind{ "rewind", "[label]",
    "go back to a mark (the newest when no label); offers to restore the files too", run };

} // namespace ik::app::slash
