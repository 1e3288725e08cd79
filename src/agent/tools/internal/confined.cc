#include "agent/tools/internal/confined.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ik::agent::internal {

namespace fs = std::filesystem;

namespace {

// -1 with errno ENOSYS when the kernel (or valgrind) has no openat2.
int openat2_beneath(int dir, const char* rel, int flags, mode_t mode)
{
#ifdef SYS_openat2
    open_how how{};
    how.flags = static_cast<uint64_t>(flags);
    how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    int fd;
    do
        fd = static_cast<int>(::syscall(SYS_openat2, dir, rel, &how, sizeof how));
    while (fd < 0 && errno == EINTR);
    return fd;
#else
    (void)dir, (void)rel, (void)flags, (void)mode;
    errno = ENOSYS;
    return -1;
#endif
}

// The fallback: `rel` (no `..`, already resolved) one component at a time,
// never following a link.
int open_no_symlinks(int root, const fs::path& rel, int flags, mode_t mode)
{
    UniqueFd dir(::fcntl(root, F_DUPFD_CLOEXEC, 0));
    if (!dir)
        return -1;
    fs::path parent = rel.parent_path();
    for (const auto& part : parent) {
        if (part == ".")
            continue;
        UniqueFd next(::openat(dir.get(), part.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next)
            return -1;
        dir = std::move(next);
    }
    fs::path name = rel.filename();
    if (name.empty() || name == ".")
        return ::openat(dir.get(), ".", flags);
    return ::openat(dir.get(), name.c_str(), flags | O_NOFOLLOW, mode);
}

fs::path real_path_of(int fd, const fs::path& fallback)
{
    char buf[PATH_MAX];
    auto link = fmt::format("/proc/self/fd/{}", fd);
    ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
    if (n <= 0) {
        std::error_code ec;
        fs::path r = fs::weakly_canonical(fallback, ec);
        return ec ? fallback : r;
    }
    return { std::string(buf, static_cast<size_t>(n)) };
}

Error open_error(std::string_view tool, const fs::path& path, int e)
{
    if (e == ENOENT)
        return { ErrorCode::not_found, fmt::format("{}: no such file or directory: {}", tool, path.string()) };
    return { ErrorCode::io, fmt::format("{}: cannot open {}: {}", tool, path.string(), std::strerror(e)) };
}

Error escape_error(std::string_view tool, const fs::path& path, const fs::path& root)
{
    return { ErrorCode::denied,
        fmt::format("{}: {} leads outside the project ({}) through a symbolic link or `..`; not opened", tool,
            path.string(), root.string()) };
}

Error private_error(std::string_view tool, const fs::path& path)
{
    return { ErrorCode::denied,
        fmt::format("{}: {} is in ik's own configuration or data (credentials, settings, the session store), "
                    "which no tool may open",
            tool, path.string()) };
}

// `path` relative to `root` after resolving the links that exist now, or
// empty when that leaves `root`. openat2 then re-resolves it beneath root,
// so a link changed after this point cannot lead out.
fs::path relative_beneath(const fs::path& root, const fs::path& path)
{
    std::error_code ec;
    fs::path real = fs::weakly_canonical(path, ec);
    if (ec)
        real = path.lexically_normal();
    fs::path rel = real.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..")
        return {};
    return rel;
}

} // namespace

bool in_any(std::span<const fs::path> dirs, const fs::path& real)
{
    for (const auto& dir : dirs) {
        if (dir.empty())
            continue;
        auto rel = real.lexically_relative(dir);
        if (!rel.empty() && *rel.begin() != "..")
            return true;
    }
    return false;
}

Result<UniqueFd> open_confined(
    const ToolContext& ctx, std::string_view tool, const fs::path& path, int flags, mode_t mode, Resolution resolution)
{
    flags |= O_CLOEXEC;
    UniqueFd fd;
    if (ctx.beneath.empty()) {
        fd = UniqueFd(::open(path.c_str(), flags, mode));
        if (!fd)
            return fail(open_error(tool, path, errno));
    } else {
        fs::path rel = relative_beneath(ctx.beneath, path);
        if (rel.empty())
            return fail(escape_error(tool, path, ctx.beneath));
        UniqueFd root(::open(ctx.beneath.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!root)
            return fail(open_error(tool, ctx.beneath, errno));
        int got = resolution == Resolution::kernel ? openat2_beneath(root.get(), rel.c_str(), flags, mode) : -1;
        if (resolution == Resolution::no_symlinks || (got < 0 && errno == ENOSYS))
            got = open_no_symlinks(root.get(), rel, flags, mode);
        if (got < 0) {
            int e = errno;
            if (e == EXDEV || e == ELOOP)
                return fail(escape_error(tool, path, ctx.beneath));
            return fail(open_error(tool, path, e));
        }
        fd = UniqueFd(got);
    }
    if (in_any(ctx.private_dirs, real_path_of(fd.get(), path)))
        return fail(private_error(tool, path));
    return fd;
}

Result<void> create_parents_confined(const ToolContext& ctx, std::string_view tool, const fs::path& path)
{
    fs::path parent = path.parent_path();
    if (parent.empty())
        return {};
    std::error_code ec;
    if (ctx.beneath.empty()) {
        fs::create_directories(parent, ec);
        if (ec)
            return fail(ErrorCode::io, "{}: cannot create directory {}: {}", tool, parent.string(), ec.message());
        return {};
    }
    // The parent's existing part resolves beneath the root (or this fails),
    // then each missing directory is made inside its opened parent.
    fs::path existing = parent;
    std::vector<fs::path> missing;
    while (!fs::exists(existing, ec) && existing.has_relative_path()) {
        missing.push_back(existing.filename());
        existing = existing.parent_path();
    }
    auto dir = TRY(open_confined(ctx, tool, existing, O_PATH | O_DIRECTORY));
    std::reverse(missing.begin(), missing.end());
    for (const auto& name : missing) {
        if (::mkdirat(dir.get(), name.c_str(), 0755) != 0 && errno != EEXIST)
            return fail(ErrorCode::io, "{}: cannot create directory {}: {}", tool, (existing / name).string(),
                std::strerror(errno));
        UniqueFd next(::openat(dir.get(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next)
            return fail(ErrorCode::io, "{}: cannot open directory {}: {}", tool, (existing / name).string(),
                std::strerror(errno));
        dir = std::move(next);
        existing /= name;
    }
    return {};
}

Result<fs::path> confined_directory(
    const ToolContext& ctx, std::string_view tool, std::string_view raw, const fs::path& path)
{
    auto fd = open_confined(ctx, tool, path, O_PATH);
    if (!fd) {
        if (fd.error().code() == ErrorCode::not_found)
            return fail(
                ErrorCode::not_found, "{}: no such directory: {} (working directory: {})", tool, raw, ctx.cwd.string());
        return fail(fd.error());
    }
    struct stat st { };
    if (::fstat(fd->get(), &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(ErrorCode::invalid_argument, "{}: {} is a file, not a directory", tool, raw);
    return real_path_of(fd->get(), path);
}

} // namespace ik::agent::internal
