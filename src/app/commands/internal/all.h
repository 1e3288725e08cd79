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
extern const SlashCommand context;
extern const SlashCommand compact;
extern const SlashCommand hooks;
extern const SlashCommand mcp;
extern const SlashCommand init;
extern const SlashCommand copy;
extern const SlashCommand exit;
extern const SlashCommand undo;
extern const SlashCommand checkpoints;

} // namespace ik::app::slash
