// A session/prompt's content blocks as the text of one ik prompt.
//
//   text           its text
//   resource_link  a file:// link becomes an @-mention of the file (relative
//                  to the session's cwd when inside it), which the session
//                  then attaches exactly as the REPL attaches `@path`: read
//                  beneath the project root, capped, text only
//   resource       embedded text (the editor's buffer): a <file path="…">
//                  block, capped at agent::max_attach
//
// Images, audio and binary resources are refused (invalid params): ik does
// not advertise them. Returns a heap string.
#pragma once

#include <filesystem>
#include <string>

#include "core/json.h"
#include "core/result.h"

namespace ik::app::acp {

Result<std::string> prompt_text(json::Field blocks, const std::filesystem::path& cwd);

} // namespace ik::app::acp
