// Images from files and from the store, into the forms the conversation, the
// store and the user see.
//
// A file is an image when its first bytes say so (llm::sniff_image), whatever
// its name; it is read once, confined like every file tool
// (tools/internal/confined.h), refused over llm::max_image_file_bytes, and
// base64-encoded once. The conversation then copies it into the exchange
// arena; the store keeps the base64 in the event.
//
//   auto img = TRY(read_image_file("read_file", ctx, "shot.png"));  // nullopt: not an image
//   llm::Image view = as_view(*img);
//
// Functions taking an arena return memory in it; the rest return heap values
// or views of their arguments.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/tools/tool.h"
#include "agent/tools/tool_image.h"
#include "core/arena.h"
#include "core/result.h"
#include "llm/image.h"
#include "store/records.h"

namespace ik::agent {

// `raw` (resolved against ctx.cwd) as an image; nullopt when its first bytes
// are not an image's (the caller treats it as text). cap_exceeded, with the
// limit in the message, when it is an image over llm::max_image_file_bytes.
Result<std::optional<ToolImage>> read_image_file(std::string_view tool, const ToolContext& ctx, std::string_view raw);

// "shot.png 120 KB": how an attachment is shown.
std::string image_label(const ToolImage& image);

// Views of heap images, valid while `images` lives.
std::vector<llm::Image> image_views(std::span<const ToolImage> images);

// Between the conversation's views and the store's records (same strings).
std::span<const store::ImageRecord> image_records(mem::Arena& arena, std::span<const llm::Image> images);
std::span<const llm::Image> images_of(mem::Arena& arena, std::span<const store::ImageRecord> records);

} // namespace ik::agent
