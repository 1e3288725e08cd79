// The descriptors defined one per file in src/app/commands/, for the table.
#pragma once

#include "app/commands/command.h"

namespace ik::app::slash {

extern const SlashCommand help;
extern const SlashCommand clear;
extern const SlashCommand mark;
extern const SlashCommand rewind;
extern const SlashCommand model;
extern const SlashCommand system;
extern const SlashCommand mem;
extern const SlashCommand sessions;
extern const SlashCommand resume;
extern const SlashCommand usage;
extern const SlashCommand ps;
extern const SlashCommand todo;
extern const SlashCommand context;
extern const SlashCommand compact;
extern const SlashCommand hooks;
extern const SlashCommand mcp;
extern const SlashCommand init;
extern const SlashCommand copy;
extern const SlashCommand exit;
extern const SlashCommand undo;
extern const SlashCommand checkpoints;
extern const SlashCommand agents;

// /clear and /resume would leave background processes behind (or end them
// unasked): invalid_argument naming them and how to stop them.
Result<void> refuse_while_jobs_run(CommandHost& host, std::string_view command);

} // namespace ik::app::slash
