#include "agent/mentions.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/images.h"
#include "agent/tools/internal/files.h"
#include "agent/tools/internal/walk.h"

namespace ik::agent {
namespace fs = std::filesystem;
namespace {

bool mention_char(char c)
{
    return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '"' && c != '\'' && c != '`';
}

char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// A subsequence score, higher is better; nullopt when `query` is not a
// subsequence of `path`.
std::optional<int64_t> score(std::string_view path, std::string_view query)
{
    size_t name_start = path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1;
    int total = 0;
    size_t at = 0;
    size_t previous = std::string_view::npos;
    for (char q : query) {
        while (at < path.size() && lower(path[at]) != lower(q))
            ++at;
        if (at == path.size())
            return std::nullopt;
        total += at >= name_start ? 3 : 1; // in the file name
        if (previous != std::string_view::npos && at == previous + 1)
            total += 4; // a contiguous run
        if (at == 0 || path[at - 1] == '/' || path[at - 1] == '_' || path[at - 1] == '-' || path[at - 1] == '.')
            total += 2; // at a word start
        previous = at++;
    }
    // Shorter paths first among equal matches.
    return int64_t{ total } * 4096 - static_cast<int64_t>(std::min<size_t>(path.size(), 4095));
}

// The mention's path with trailing sentence punctuation dropped ("@a.cc," -> "a.cc").
std::string_view trim_punctuation(std::string_view path)
{
    while (!path.empty()
        && (path.back() == ',' || path.back() == '.' || path.back() == ':' || path.back() == ';' || path.back() == ')'
            || path.back() == '?' || path.back() == '!'))
        path.remove_suffix(1);
    return path;
}

// An image mention: attached, or a note saying why not (a limit, named).
void attach_image(
    Mentions& out, std::string_view raw, Result<std::optional<ToolImage>> image, const MentionImages& target)
{
    if (!image) {
        out.notes.push_back(fmt::format("@{}: not attached ({})", raw, image.error().message()));
        return;
    }
    ToolImage& img = **image;
    if (out.images.size() >= llm::max_images_per_message) {
        out.notes.push_back(
            fmt::format("@{}: not attached (at most {} images in one message)", raw, llm::max_images_per_message));
        return;
    }
    if (target.limits.max_image_bytes && img.data.size() > target.limits.max_image_bytes) {
        out.notes.push_back(fmt::format("@{}: not attached ({} encoded, over {}'s limit of {} per image)", raw,
            llm::image_size(img.data.size()), target.limits.provider, llm::image_size(target.limits.max_image_bytes)));
        return;
    }
    if (!target.accepted && !target.model.empty())
        out.notes.push_back(fmt::format(
            "@{}: model {} does not accept images; it gets a note in place of the image", raw, target.model));
    out.attached.push_back(fmt::format("image {}", image_label(img)));
    out.images.push_back(std::move(img));
}

} // namespace

MentionImages mention_images(const llm::ModelLimits& limits, std::string_view spec, const Model& model)
{
    return MentionImages{ .accepted = (limits.caps & llm::cap_images) != 0,
        .model = spec,
        .limits = model.image_limits().value_or(llm::ImageLimits{}) };
}

std::vector<std::string> project_files(const fs::path& root, size_t max)
{
    std::vector<std::string> out;
    internal::WalkOptions options;
    options.max_entries = max * 2;
    internal::walk(
        root,
        [&](const internal::WalkEntry& e) {
            if (!e.is_dir)
                out.push_back(e.path);
            return out.size() < max;
        },
        options);
    return out;
}

std::optional<std::string_view> mention_at(std::string_view before_cursor)
{
    size_t start = before_cursor.size();
    while (start > 0 && mention_char(before_cursor[start - 1]))
        --start;
    std::string_view word = before_cursor.substr(start);
    if (!word.starts_with('@'))
        return std::nullopt;
    return word.substr(1);
}

std::vector<std::string_view> rank_files(std::span<const std::string> files, std::string_view query, size_t limit)
{
    std::vector<std::pair<int64_t, std::string_view>> scored;
    for (const std::string& f : files)
        if (auto s = score(f, query))
            scored.emplace_back(*s, f);
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string_view> out;
    for (size_t i = 0; i < scored.size() && i < limit; ++i)
        out.push_back(scored[i].second);
    return out;
}

Mentions attach_mentions(std::string_view prompt, const ApprovalPolicy& policy, Loop& loop, const fs::path& cwd,
    const MentionImages& images, MentionKinds kinds)
{
    Mentions out;
    out.text.assign(prompt);
    std::error_code ec;
    fs::path root = fs::weakly_canonical(policy.project_root.empty() ? cwd : policy.project_root, ec);
    ToolContext ctx{ .loop = loop,
        .cwd = cwd,
        .sandbox = nullptr,
        .private_dirs = policy.private_dirs,
        .beneath = root,
        .jobs = nullptr };
    std::vector<std::string> seen;
    for (size_t i = 0; i < prompt.size(); ++i) {
        if (prompt[i] != '@' || (i > 0 && mention_char(prompt[i - 1])))
            continue;
        size_t end = i + 1;
        while (end < prompt.size() && mention_char(prompt[end]))
            ++end;
        std::string_view raw = trim_punctuation(prompt.substr(i + 1, end - i - 1));
        i = end;
        if (raw.empty() || std::find(seen.begin(), seen.end(), raw) != seen.end())
            continue;
        seen.emplace_back(raw);
        fs::path full = internal::resolve_path(cwd, raw);
        if (!fs::is_regular_file(full, ec))
            continue; // an @handle or a word, not a file: left as typed
        auto image = read_image_file("@", ctx, raw);
        if (!image || *image) {
            attach_image(out, raw, std::move(image), images);
            continue;
        }
        if (kinds == MentionKinds::images_only)
            continue;
        auto text = internal::read_text_file("@", ctx, raw, max_attach);
        if (!text) {
            out.notes.push_back(fmt::format("@{}: not attached ({})", raw, text.error().message()));
            continue;
        }
        if (internal::binary_offset(*text)) {
            out.notes.push_back(fmt::format("@{}: not attached (a binary file)", raw));
            continue;
        }
        std::string display = internal::display_path(cwd, full);
        out.text += fmt::format("\n\n<file path=\"{}\">\n{}", display, internal::sanitize_utf8(*text));
        if (!out.text.ends_with('\n'))
            out.text += '\n';
        out.text += "</file>";
        out.attached.push_back(fmt::format("{} ({} lines)", display, internal::count_lines(*text)));
    }
    return out;
}

} // namespace ik::agent
