// The environment a model's command inherits: an allow-list, not a deny-list.
//
// ik's own environment holds secrets (OPENAI_API_KEY, ANTHROPIC_API_KEY,
// IK_DATABASE_URL, PGPASSWORD, whatever a credentials file was built from), and
// a command's output goes to the model and into the store. A deny-list would
// miss the next provider's variable, so only the variables listed here pass
// (docs/safety.md lists them too): PATH, HOME, USER, LOGNAME, SHELL, LANG,
// LANGUAGE, LC_*, TERM, COLORTERM, NO_COLOR, TZ, PWD, EDITOR, VISUAL, PAGER.
// TMPDIR is set by the caller (the private /tmp).
//
// Returns heap strings "NAME=value"; borrows `parent` only during the call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ik::sandbox {

bool passes_allow_list(std::string_view name);

// The allowed entries of `parent` (a NULL-terminated environ), then `tmpdir`
// as TMPDIR when it is not empty.
std::vector<std::string> filtered_environment(char** parent, std::string_view tmpdir);

} // namespace ik::sandbox
