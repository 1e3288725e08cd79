// Exit statuses of the ik binary; docs/cli.md lists them for users.
#pragma once

namespace ik::app {

inline constexpr int exit_ok = 0;
inline constexpr int exit_usage = 2; // bad flags or arguments
inline constexpr int exit_config = 3; // configuration or credentials
inline constexpr int exit_provider = 4; // the provider failed after retries
inline constexpr int exit_limit = 5; // the agent hit max_tool_turns before finishing
inline constexpr int exit_store = 6; // the session store failed (cannot be opened or written)
inline constexpr int exit_nothing = 1; // ik undo: no checkpoint left to take back
inline constexpr int exit_refused = 7; // ik undo: files changed after the turn (--force overwrites them)
inline constexpr int exit_output = 74; // stdout could not be written (EX_IOERR): a full disk, a closed pipe
inline constexpr int exit_interrupted = 130; // Ctrl-C, SIGTERM, or a stream cut short
inline constexpr int exit_internal = 70; // an unexpected internal error (EX_SOFTWARE)

} // namespace ik::app
