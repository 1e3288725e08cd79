#include "checkpoint/internal/git.h"

#include <string>

#include <fmt/format.h>

namespace ik::checkpoint::git {

namespace {

const LazyLibrary<Api>& library()
{
    // Once per process, thread-safe; initialised right after it is opened.
    static const LazyLibrary<Api> lib = [] {
        LazyLibrary<Api> l(IK_GIT2_SONAME, "taking checkpoints");
        if (l.loaded())
            l.api().git_libgit2_init();
        return l;
    }();
    return lib;
}

} // namespace

Result<void> ensure_loaded()
{
    return library().ensure();
}

const Api& api()
{
    return library().api();
}

Error last_error(std::string_view what, int code)
{
    const git_error* e = api().git_error_last();
    std::string message = e && e->message ? e->message : fmt::format("libgit2 error {}", code);
    // A full disk or a permission problem is an I/O failure; a missing object
    // or reference is not_found; everything else is the library's own.
    ErrorCode ik_code = code == GIT_ENOTFOUND ? ErrorCode::not_found : ErrorCode::io;
    return { ik_code, fmt::format("{}: {}", what, message) };
}

std::string to_hex(const git_oid& oid)
{
    char buf[GIT_OID_HEXSZ + 1] = {};
    api().git_oid_tostr(buf, sizeof buf, &oid);
    return { buf, GIT_OID_HEXSZ };
}

Result<git_oid> parse_oid(std::string_view hex)
{
    git_oid oid{};
    if (hex.size() != GIT_OID_HEXSZ || api().git_oid_fromstrn(&oid, hex.data(), hex.size()) != 0)
        return fail(ErrorCode::invalid_argument, "not a commit id: '{}'", hex);
    return oid;
}

} // namespace ik::checkpoint::git
