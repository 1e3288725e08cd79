// `ik sessions …`: list, search, show and export stored sessions.
//
// Each function is one subcommand. It reads from an open Store, writes its
// result to `out` and problems to `err`, and returns the process exit code:
// 0 on success, 1 when the store fails or the session does not exist,
// 2 (exit_usage) for a bad argument (an ambiguous id, an unknown format,
// empty search text). Times are shown in local time; a directory under $HOME
// is shown as ~/…. Nothing here is wired into main(): the CLI calls these.
// Stored text reaches a terminal visibly (tui/visible.h: "␛]52;" rather than
// the escape itself); when `out` is a pipe or a file it gets the exact text,
// so an export is the conversation as stored. `err` is always visible.
//
//   auto store = TRY(store::open_store(url, store::default_sqlite_path()));
//   return app::sessions_list(*store, {.cwd = ""}, stdout, stderr);
//
// Borrows the store and the streams.
#pragma once

#include <cstdio>
#include <string_view>

#include "core/result.h"
#include "store/store.h"

namespace ik::app {

enum class ExportFormat { jsonl, markdown };
// "jsonl" or "markdown" ("md"); invalid_argument otherwise.
Result<ExportFormat> parse_export_format(std::string_view name);

struct SessionsListOptions {
    std::string_view cwd{}; // empty: all directories
    size_t limit = 50; // 0: all
};

// A table: ID, UPDATED, EVENTS, TOKENS, COST, DIRECTORY, TITLE; newest first,
// a sub-agent's session under its parent when both are listed (session_links.h).
int sessions_list(store::Store& store, const SessionsListOptions& options, std::FILE* out, std::FILE* err);
// One entry per matching event: session, seq, kind, time, directory, title
// (and the parent of a sub-agent's session), then the snippet.
int sessions_search(store::Store& store, std::string_view text, std::FILE* out, std::FILE* err);
// A human-readable transcript of the session whose id starts with `id`, after
// its parent (a sub-agent's) and its sub-agents' sessions.
int sessions_show(store::Store& store, std::string_view id, std::FILE* out, std::FILE* err);
// jsonl: a {"type":"session",…} line, then one {"type":"event",…} line per
// event with its data verbatim (partial replies included: the complete log).
// markdown: the conversation as a document (partial replies left out).
int sessions_export(store::Store& store, std::string_view id, ExportFormat format, std::FILE* out, std::FILE* err);

} // namespace ik::app
