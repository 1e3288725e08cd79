// A session/prompt's content blocks as one ik prompt: its text and images.
//
//   text           its text
//   resource_link  a file:// link becomes an @-mention of the file (relative
//                  to the session's cwd when inside it), which the session
//                  then attaches exactly as the REPL attaches `@path`: read
//                  beneath the project root, capped, text only
//   resource       embedded text (the editor's buffer): a <file path="…">
//                  block, capped at agent::max_attach; an embedded blob is
//                  taken as an image, like an image block
//   image          base64 `data`: decoded, its type taken from its first
//                  bytes (never from `mimeType`), refused over
//                  llm::max_image_file_bytes, more than
//                  llm::max_images_per_message, or when the model takes no
//                  images (`images` false: ik does not advertise them then)
//
// Audio is refused (invalid params): ik does not advertise it. Returns heap
// values.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "agent/tools/tool_image.h"
#include "core/json.h"
#include "core/result.h"

namespace ik::app::acp {

struct PromptContent {
    std::string text;
    std::vector<agent::ToolImage> images;
};

struct PromptOptions {
    bool images = false; // the session's model accepts images
    std::string_view model; // named when an image is refused
};

Result<PromptContent> prompt_content(
    json::Field blocks, const std::filesystem::path& cwd, const PromptOptions& options = {});

// One image from an editor: `data` must be padded base64 of a PNG, JPEG, GIF
// or WebP (by its magic bytes) of at most llm::max_image_file_bytes. `name`
// is how it is shown.
Result<agent::ToolImage> editor_image(std::string_view data, std::string_view name);

} // namespace ik::app::acp
