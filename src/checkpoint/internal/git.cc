#include "checkpoint/internal/git.h"

#include <string>

#include <dlfcn.h>
#include <fmt/format.h>

#include "core/panic.h"

namespace ik::checkpoint::git {

namespace {

// The soname of the libgit2 whose headers ik is built with: the ABI they describe.
constexpr const char* soname = "libgit2.so." LIBGIT2_SOVERSION;

struct Loaded {
    Api api;
    std::string error; // empty when loaded
};

Loaded load()
{
    Loaded l;
    // RTLD_LOCAL: mbed TLS and http_parser stay out of ik's namespace.
    void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        l.error = why ? why : fmt::format("{}: dlopen failed", soname);
        return l;
    }
    // Never dlclosed: handles may outlive any owner, until the process ends.
#define IK_GIT2_RESOLVE(name)                                                                                          \
    l.api.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));                                            \
    if (!l.api.name) {                                                                                                 \
        l.error = fmt::format("{} has no {} (another version than ik was built with)", soname, #name);                 \
        return l;                                                                                                      \
    }
    IK_GIT2_FUNCTIONS(IK_GIT2_RESOLVE)
#undef IK_GIT2_RESOLVE
    l.api.git_libgit2_init();
    return l;
}

const Loaded& loaded()
{
    static const Loaded l = load(); // once per process, thread-safe
    return l;
}

} // namespace

Result<void> ensure_loaded()
{
    if (!loaded().error.empty())
        return fail(ErrorCode::io, "checkpoints need libgit2: {}", loaded().error);
    return {};
}

const Api& api()
{
    if (!loaded().error.empty())
        panic("libgit2 used before ensure_loaded() succeeded");
    return loaded().api;
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
