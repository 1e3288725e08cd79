#include "sandbox/landlock.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/unique_fd.h"
#include "sandbox/internal/seccomp_library.h"
#include "sandbox/terminal_filter.h"

namespace ik::sandbox {

namespace {

namespace fs = std::filesystem;

// Declared here rather than taken from <linux/landlock.h>: Debian 12's
// headers stop at ABI 2, and the kernel may offer more.
constexpr uint64_t access_fs_execute = 1ULL << 0;
constexpr uint64_t access_fs_write_file = 1ULL << 1;
constexpr uint64_t access_fs_read_file = 1ULL << 2;
constexpr uint64_t access_fs_read_dir = 1ULL << 3;
constexpr uint64_t access_fs_refer = 1ULL << 13; // ABI 2
constexpr uint64_t access_fs_truncate = 1ULL << 14; // ABI 3
constexpr uint64_t access_fs_ioctl_dev = 1ULL << 15; // ABI 5
constexpr uint64_t access_net_bind_tcp = 1ULL << 0; // ABI 4
constexpr uint64_t access_net_connect_tcp = 1ULL << 1;
constexpr uint64_t fs_read = access_fs_execute | access_fs_read_file | access_fs_read_dir;
// remove dir/file, make char/dir/reg/sock/fifo/block/sym: bits 4..12
constexpr uint64_t fs_make_remove = ((1ULL << 13) - 1) & ~((1ULL << 4) - 1);
constexpr uint64_t file_rights
    = access_fs_execute | access_fs_write_file | access_fs_read_file | access_fs_truncate | access_fs_ioctl_dev;

struct RulesetAttr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
};

struct PathBeneathAttr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

constexpr int rule_path_beneath = 1;

Result<void> add_rule(int ruleset, const fs::path& path, uint64_t rights)
{
    UniqueFd f(::open(path.c_str(), O_PATH | O_CLOEXEC));
    if (!f)
        return {}; // vanished or unreadable: nothing to grant
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        rights &= file_rights;
    PathBeneathAttr attr{ rights, f.get() };
    if (::syscall(SYS_landlock_add_rule, ruleset, rule_path_beneath, &attr, 0) != 0)
        return fail(ErrorCode::io, "landlock_add_rule {}: {}", path.string(), std::strerror(errno));
    return {};
}

bool within(const fs::path& inner, const fs::path& outer)
{
    auto rel = inner.lexically_relative(outer);
    return !rel.empty() && *rel.begin() != "..";
}

// Grants `rights` on `base` and beneath it, except on the `excluded` paths
// and beneath them: a directory holding an exclusion is split into its entries.
Result<void> grant_except(int ruleset, const fs::path& base, const std::vector<fs::path>& excluded, uint64_t rights)
{
    bool split = false;
    for (auto& e : excluded) {
        if (e == base)
            return {};
        if (within(e, base))
            split = true;
    }
    std::error_code ec;
    if (!split || !fs::is_directory(base, ec) || fs::is_symlink(base, ec))
        return add_rule(ruleset, base, rights);
    for (auto it = fs::directory_iterator(base, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
        TRY(grant_except(ruleset, it->path(), excluded, rights));
    return {};
}

} // namespace

int landlock_abi()
{
    long v = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return v < 0 ? 0 : static_cast<int>(v);
}

Result<void> apply_landlock(const Plan& plan)
{
    int abi = landlock_abi();
    if (abi < 1)
        return fail(ErrorCode::io, "this kernel has no Landlock");
    uint64_t fs_write = access_fs_write_file | fs_make_remove;
    if (abi >= 2)
        fs_write |= access_fs_refer;
    if (abi >= 3)
        fs_write |= access_fs_truncate;
    if (abi >= 5)
        fs_write |= access_fs_ioctl_dev;
    RulesetAttr attr{ fs_read | fs_write, 0 };
    size_t attr_size = sizeof(uint64_t);
    if (abi >= 4) {
        attr_size = sizeof(attr);
        if (!plan.network)
            attr.handled_access_net = access_net_bind_tcp | access_net_connect_tcp;
    }
    UniqueFd ruleset(static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0)));
    if (!ruleset)
        return fail(ErrorCode::io, "landlock_create_ruleset: {}", std::strerror(errno));

    TRY(grant_except(ruleset.get(), "/", plan.hidden, fs_read));
    std::vector<fs::path> not_writable = plan.read_only;
    not_writable.insert(not_writable.end(), plan.hidden.begin(), plan.hidden.end());
    for (auto& w : plan.writable)
        TRY(grant_except(ruleset.get(), w, not_writable, fs_read | fs_write));
    // Shells redirect to these all the time.
    for (const char* dev : { "/dev/null", "/dev/zero", "/dev/full", "/dev/tty" })
        TRY(add_rule(ruleset.get(), dev, fs_read | access_fs_write_file));

    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return fail(ErrorCode::io, "PR_SET_NO_NEW_PRIVS: {}", std::strerror(errno));
    if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0)
        return fail(ErrorCode::io, "landlock_restrict_self: {}", std::strerror(errno));
    return {};
}

Result<void> apply_seccomp(bool network)
{
    TRY(internal::seccomp().ensure());
    const internal::SeccompApi& seccomp = internal::seccomp().api();
    scmp_filter_ctx ctx = seccomp.seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return fail(ErrorCode::io, "seccomp_init failed");
    if (auto added = add_terminal_rules(ctx); !added) {
        seccomp.seccomp_release(ctx);
        return added;
    }
    int rc = 0;
    for (int family : { AF_INET, AF_INET6 }) {
        // Spelled out rather than SCMP_A0(), whose compound literal leaves
        // datum_b to zero-initialisation (Clang's -Wmissing-field-initializers).
        scmp_arg_cmp is_family{
            .arg = 0, .op = SCMP_CMP_EQ, .datum_a = static_cast<scmp_datum_t>(family), .datum_b = 0
        };
        if (rc == 0 && !network)
            rc = seccomp.seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1, is_family);
    }
    if (rc == 0)
        rc = seccomp.seccomp_load(ctx);
    seccomp.seccomp_release(ctx);
    if (rc != 0)
        return fail(ErrorCode::io, "seccomp: {}", std::strerror(-rc));
    return {};
}

} // namespace ik::sandbox
