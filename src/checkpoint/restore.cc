// ShadowRepo::restore — files written back into the project, safely.
//
// The paths come from ik's own commits (git refuses "..", absolute paths and
// `.git` components in trees), but the project around them may have changed:
// a directory may now be a symbolic link pointing out of the project. So
// every parent directory is checked with lstat() and created when missing,
// never followed through a link; a file is written to a temporary file in its
// directory and renamed over the old one, which replaces a link instead of
// writing through it, and leaves either the old or the new content after a
// crash. Removals come first, so a file the turn made where a directory was
// (or the reverse) makes room for what comes back.
#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkpoint/shadow_repo.h"

namespace ik::checkpoint {

namespace fs = std::filesystem;

namespace {

Result<void> check_relative(std::string_view path)
{
    if (path.empty() || path.front() == '/')
        return fail(ErrorCode::invalid_argument, "refusing to restore '{}': not a path inside the project", path);
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        std::string_view part = path.substr(start, end == std::string_view::npos ? path.npos : end - start);
        if (part.empty() || part == "." || part == ".." || part == ".git")
            return fail(ErrorCode::invalid_argument, "refusing to restore '{}': not a path inside the project", path);
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return {};
}

// Makes every directory between the root and `path`'s parent, refusing to
// pass through anything that is not a real directory.
Result<void> make_parents(const fs::path& root, std::string_view path)
{
    std::string dir = root.string();
    size_t start = 0;
    for (size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', start)) {
        dir += '/';
        dir += path.substr(start, slash - start);
        start = slash + 1;
        struct stat st { };
        if (::lstat(dir.c_str(), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                continue;
            return fail(
                ErrorCode::denied, "refusing to restore {}: {} is not a directory (a link or a file now)", path, dir);
        }
        if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
            return fail(ErrorCode::io, "cannot create {}: {}", dir, std::strerror(errno));
    }
    return {};
}

Result<void> write_file(const fs::path& target, std::span<const char> data, git_filemode_t mode)
{
    std::string tmp = target.parent_path().string() + "/.ik-restore-XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0)
        return fail(ErrorCode::io, "cannot write into {}: {}", target.parent_path().string(), std::strerror(errno));
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return fail(ErrorCode::io, "cannot write {}: {}", target.string(), std::strerror(err));
        }
        done += static_cast<size_t>(n);
    }
    ::fchmod(fd, mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
    ::close(fd);
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return fail(ErrorCode::io, "cannot replace {}: {}", target.string(), std::strerror(err));
    }
    return {};
}

// Removes `target` (a file or a link, never followed) and then each parent
// directory up to the root that is left empty.
Result<bool> remove_file(const fs::path& root, const fs::path& target)
{
    struct stat st { };
    if (::lstat(target.c_str(), &st) != 0)
        return false; // already gone
    if (S_ISDIR(st.st_mode))
        return fail(ErrorCode::denied, "refusing to remove {}: it is a directory now", target.string());
    if (::unlink(target.c_str()) != 0)
        return fail(ErrorCode::io, "cannot remove {}: {}", target.string(), std::strerror(errno));
    for (fs::path dir = target.parent_path(); dir != root && dir.string().size() > root.string().size();
         dir = dir.parent_path()) {
        if (::rmdir(dir.c_str()) != 0)
            break; // not empty (or not ours to remove)
    }
    return true;
}

} // namespace

Result<size_t> ShadowRepo::restore(std::string_view to, std::span<const ChangedFile> files)
{
    git::Tree tree = TRY(tree_of(to));
    size_t touched = 0;
    // Removals first: what the turn created and `to` does not have.
    for (const ChangedFile& f : files) {
        TRY(check_relative(f.path));
        git_tree_entry* e = nullptr;
        std::string path(f.path);
        if (git::api().git_tree_entry_bypath(&e, tree.get(), path.c_str()) == 0) {
            git::api().git_tree_entry_free(e);
            continue;
        }
        TRY(make_parents(m_project, f.path)); // refuses to look through a link
        if (TRY(remove_file(m_project, m_project / path)))
            ++touched;
    }
    for (const ChangedFile& f : files) {
        std::string path(f.path);
        git_tree_entry* raw = nullptr;
        if (git::api().git_tree_entry_bypath(&raw, tree.get(), path.c_str()) != 0)
            continue;
        git::TreeEntry entry(raw);
        git_filemode_t mode = git::api().git_tree_entry_filemode(raw);
        if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE && mode != GIT_FILEMODE_LINK)
            continue;
        git_blob* blob_raw = nullptr;
        TRY(git::check(git::api().git_blob_lookup(&blob_raw, m_repo.get(), git::api().git_tree_entry_id(raw)),
            fmt::format("reading {} from the checkpoint", path)));
        git::Blob blob(blob_raw);
        TRY(make_parents(m_project, f.path));
        fs::path target = m_project / path;
        struct stat st { };
        if (::lstat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
            return fail(ErrorCode::denied, "refusing to restore {}: it is a directory now", target.string());
        const char* data = static_cast<const char*>(git::api().git_blob_rawcontent(blob.get()));
        auto size = static_cast<size_t>(git::api().git_blob_rawsize(blob.get()));
        if (mode == GIT_FILEMODE_LINK) {
            std::string link(data, size);
            ::unlink(target.c_str());
            if (::symlink(link.c_str(), target.c_str()) != 0)
                return fail(ErrorCode::io, "cannot restore the link {}: {}", target.string(), std::strerror(errno));
        } else {
            TRY(write_file(target, std::span<const char>(data, size), mode));
        }
        ++touched;
    }
    return touched;
}

} // namespace ik::checkpoint
