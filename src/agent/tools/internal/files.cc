#include "agent/tools/internal/files.h"

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/tools/internal/args.h"
#include "agent/tools/internal/confined.h"

namespace ik::agent::internal {

namespace fs = std::filesystem;

fs::path resolve_path(const fs::path& cwd, std::string_view raw)
{
    if (raw.empty())
        return cwd;
    fs::path p(raw);
    if (p.is_relative())
        p = cwd / p;
    p = p.lexically_normal();
    // "dir/" normalises to "dir/" with an empty filename; drop it.
    if (!p.has_filename() && p.has_parent_path() && p != p.root_path())
        p = p.parent_path();
    return p;
}

std::string display_path(const fs::path& cwd, const fs::path& path)
{
    fs::path rel = path.lexically_relative(cwd);
    if (rel.empty() || *rel.begin() == "..")
        return path.string();
    return rel.string();
}

Result<std::string> read_text_file(
    std::string_view tool, const ToolContext& ctx, std::string_view raw, size_t max_bytes)
{
    fs::path path = resolve_path(ctx.cwd, raw);
    auto opened = open_confined(ctx, tool, path, O_RDONLY | O_NONBLOCK); // a FIFO must not hang the loop
    if (!opened) {
        if (opened.error().code() == ErrorCode::not_found)
            return fail(
                ErrorCode::not_found, "{}: no such file: {} (working directory: {})", tool, raw, ctx.cwd.string());
        return fail(opened.error());
    }
    int fd = opened->get();
    struct stat st { };
    if (::fstat(fd, &st) != 0)
        return fail(ErrorCode::io, "{}: cannot stat {}: {}", tool, raw, std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        return fail(ErrorCode::invalid_argument, "{}: {} is a directory, not a file (use list_dir)", tool, raw);
    if (!S_ISREG(st.st_mode))
        return fail(ErrorCode::invalid_argument, "{}: {} is not a regular file", tool, raw);
    if (static_cast<size_t>(st.st_size) > max_bytes)
        return fail(ErrorCode::cap_exceeded, "{}: {} is {}, more than the {} limit", tool, raw,
            human_bytes(static_cast<size_t>(st.st_size)), human_bytes(max_bytes));
    std::string data;
    data.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (got < data.size()) {
        ssize_t n = ::read(fd, data.data() + got, data.size() - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(ErrorCode::io, "{}: cannot read {}: {}", tool, raw, std::strerror(errno));
        if (n == 0)
            break;
        got += static_cast<size_t>(n);
    }
    data.resize(got);
    return data;
}

std::optional<size_t> binary_offset(std::string_view data)
{
    auto head = data.substr(0, 8192);
    auto at = head.find('\0');
    if (at == std::string_view::npos)
        return std::nullopt;
    return at;
}

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t valid_sequence(std::string_view s, size_t i)
{
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned char c = b(0);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size())
        return 0;
    for (size_t k = 1; k < n; ++k)
        if ((b(k) & 0xC0) != 0x80)
            return 0;
    if (n == 2 && c < 0xC2)
        return 0; // overlong
    if (n == 3) {
        uint32_t cp = ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
    }
    if (n == 4) {
        uint32_t cp = ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
        if (cp < 0x10000 || cp > 0x10FFFF)
            return 0;
    }
    return n;
}

} // namespace

std::string sanitize_utf8(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        size_t n = valid_sequence(text, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

size_t count_lines(std::string_view text)
{
    if (text.empty())
        return 0;
    size_t n = 0;
    for (char c : text)
        n += c == '\n';
    return n + (text.back() != '\n');
}

Result<void> write_file(std::string_view tool, const ToolContext& ctx, const fs::path& path, std::string_view content)
{
    TRY(create_parents_confined(ctx, tool, path));
    auto fd = TRY(open_confined(ctx, tool, path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(ErrorCode::io, "{}: cannot write {}: {}", tool, path.string(), std::strerror(errno));
        done += static_cast<size_t>(n);
    }
    if (::close(fd.release()) != 0)
        return fail(ErrorCode::io, "{}: cannot write {}: {}", tool, path.string(), std::strerror(errno));
    return {};
}

Result<ToolPreview> path_preview(std::string_view tool, ToolContext& ctx, const json::value& value)
{
    auto args = TRY(Args::make(tool, value));
    std::string_view raw = TRY(args.optional_string("path")).value_or(".");
    ToolPreview p;
    p.path = std::string(raw);
    p.full_path = resolve_path(ctx.cwd, raw);
    return p;
}

std::string human_bytes(size_t bytes)
{
    if (bytes < 1024)
        return fmt::format("{} bytes", bytes);
    if (bytes < size_t{ 1024 } * 1024)
        return fmt::format("{:.1f} KiB", double(bytes) / 1024);
    return fmt::format("{:.1f} MiB", double(bytes) / (1024 * 1024));
}

} // namespace ik::agent::internal
