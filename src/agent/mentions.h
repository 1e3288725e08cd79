// Files the user mentions in a prompt with `@path`: the candidates the REPL
// completes after an `@`, and the expansion that attaches each mentioned
// file's text to the prompt before it is sent (and stored, so a resumed
// session has exactly what the model saw).
//
// Only the user's own prompt is expanded, and only files inside the project:
// a mention is read beneath the project root (tools/internal/confined.h), never from ik's
// own directories, at most max_attach bytes, text only. Anything else stays
// as typed, with a note saying why.
//
//   auto files = project_files(root);                       // "src/main.cc", ...
//   Mentions m = attach_mentions("explain @src/main.cc", policy, loop, cwd);
//   session.submit(m.text);                                 // the prompt + the file
//
// Owns nothing beyond the values it returns.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/approval.h"
#include "agent/model.h"
#include "agent/tools/tool_image.h"
#include "core/loop.h"
#include "llm/catalog.h"
#include "llm/image.h"

namespace ik::agent {

inline constexpr size_t max_attach = size_t{ 256 } * 1024;

// The project's files (not directories), relative and '/'-separated, in walk
// order, honouring .gitignore and skipping .git; at most `max`.
std::vector<std::string> project_files(const std::filesystem::path& root, size_t max = 20000);

// The mention being typed at the end of `before_cursor` ("see @src/ma" ->
// "src/ma"); nullopt when the cursor is not in an @-word.
std::optional<std::string_view> mention_at(std::string_view before_cursor);

// Candidates for `query`, best first: every character of the query in order
// (case-insensitive), preferring matches in the file name, contiguous runs
// and shorter paths. At most `limit`.
std::vector<std::string_view> rank_files(std::span<const std::string> files, std::string_view query, size_t limit);

struct Mentions {
    std::string text; // the prompt, then one <file path="…"> block per attached file
    std::vector<std::string> attached; // "src/main.cc (120 lines)", "image shot.png 120 KB"
    std::vector<std::string> notes; // "@/etc/passwd: outside the project, not attached"
    std::vector<ToolImage> images; // the mentioned images, for the user message
};

// Where the prompt goes, for the images: the model's capability and the
// provider's limits, so the user hears at once what would not be sent. The
// default (no model named, no limits) checks only ik's own limits; the
// request still applies the rest (llm/image_fit.h).
struct MentionImages {
    bool accepted = false; // the model accepts images (cap_images)
    std::string_view model; // named in the note when it does not
    llm::ImageLimits limits{};
};

// The target of `model` (a session's current model) for `spec` with `limits`.
MentionImages mention_images(const llm::ModelLimits& limits, std::string_view spec, const Model& model);

enum class MentionKinds { files_and_images, images_only };

// Expands each `@path` word of `prompt` naming a file (see the top). An image
// file (by its first bytes) is attached as an image, not text; the prompt
// keeps the @path as typed. `policy` gives the project root and ik's private
// directories. images_only: text files are left as typed (headless `ik -p`,
// whose prompts were never expanded).
Mentions attach_mentions(std::string_view prompt, const ApprovalPolicy& policy, Loop& loop,
    const std::filesystem::path& cwd, const MentionImages& images = {},
    MentionKinds kinds = MentionKinds::files_and_images);

} // namespace ik::agent
