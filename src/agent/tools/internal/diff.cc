#include "agent/tools/internal/diff.h"

#include <vector>

#include <fmt/format.h>

namespace ik::agent::internal {

namespace {

// Lines including their '\n' (the last may lack it).
std::vector<std::string_view> lines_of(std::string_view text)
{
    std::vector<std::string_view> lines;
    size_t from = 0;
    while (from < text.size()) {
        size_t nl = text.find('\n', from);
        size_t to = nl == std::string_view::npos ? text.size() : nl + 1;
        lines.push_back(text.substr(from, to - from));
        from = to;
    }
    return lines;
}

void emit(std::string& out, char mark, std::string_view line)
{
    out += mark;
    out.append(line);
    if (!line.ends_with('\n'))
        out += "\n\\ No newline at end of file\n";
}

} // namespace

std::string unified_diff(
    std::string_view path, std::string_view before, std::string_view after, DiffStats* stats, size_t context)
{
    if (before == after)
        return {};
    auto a = lines_of(before), b = lines_of(after);
    size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
        ++prefix;
    size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
        && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    size_t start = prefix > context ? prefix - context : 0;
    size_t a_end = std::min(a.size(), a.size() - suffix + context);
    size_t b_end = std::min(b.size(), b.size() - suffix + context);
    size_t a_count = a_end - start, b_count = b_end - start;
    std::string out = fmt::format("--- a/{}\n+++ b/{}\n@@ -{},{} +{},{} @@\n", path, path, a_count ? start + 1 : start,
        a_count, b_count ? start + 1 : start, b_count);
    for (size_t i = start; i < prefix; ++i)
        emit(out, ' ', a[i]);
    for (size_t i = prefix; i < a.size() - suffix; ++i)
        emit(out, '-', a[i]);
    for (size_t i = prefix; i < b.size() - suffix; ++i)
        emit(out, '+', b[i]);
    for (size_t i = a.size() - suffix; i < a_end; ++i)
        emit(out, ' ', a[i]);
    if (stats) {
        stats->removed = a.size() - suffix - prefix;
        stats->added = b.size() - suffix - prefix;
    }
    return out;
}

} // namespace ik::agent::internal
