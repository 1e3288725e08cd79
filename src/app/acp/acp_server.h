// `ik acp`: ik as an Agent Client Protocol (version 1) agent for editors
// (Zed, Neovim's CodeCompanion, …), speaking JSON-RPC 2.0 on stdin/stdout.
//
// The server answers the agent methods — initialize, session/new,
// session/load, session/prompt, session/cancel, session/set_mode — and
// sends the client methods: session/update notifications,
// session/request_permission and, when the editor offers it,
// fs/read_text_file (read_file then sees unsaved buffers). Commands always
// run in ik's own sandbox; ik never asks the editor to run them.
//
// One process serves any number of sessions, each an AcpSession (its own
// arena, a child of the app arena, like the REPL's), one loop, one store,
// one model client. The config, model and store are chosen once at start
// exactly as for `ik -p` (app/setup.h); each session's settings (system
// prompt, AGENTS.md, sandbox) are built for its own cwd.
//
// Returns the process exit status: 0 when the editor closed stdin.
#pragma once

#include "app/cli.h"

namespace ik::app::acp {

int run_acp(const CliOptions& options);

} // namespace ik::app::acp
