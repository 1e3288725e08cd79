#include "sandbox/terminal_filter.h"

#include <array>
#include <cerrno>
#include <cstring>

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/unique_fd.h"
#include "sandbox/internal/seccomp_library.h"

namespace ik::sandbox {

Result<void> add_terminal_rules(scmp_filter_ctx ctx)
{
    TRY(internal::seccomp().ensure());
    const internal::SeccompApi& seccomp = internal::seccomp().api();
    for (unsigned long request : { TIOCSTI, TIOCLINUX }) {
        // Spelled out rather than SCMP_A1(), whose compound literal leaves
        // fields to zero-initialisation (Clang's -Wmissing-field-initializers).
        scmp_arg_cmp is_request{ .arg = 1,
            .op = SCMP_CMP_MASKED_EQ,
            .datum_a = scmp_datum_t{ 0xFFFFFFFFu },
            .datum_b = static_cast<scmp_datum_t>(request) };
        if (int rc = seccomp.seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1, is_request); rc != 0)
            return fail(ErrorCode::io, "seccomp rule for ioctl {:#x}: {}", request, std::strerror(-rc));
    }
    return {};
}

Result<std::string> terminal_filter_program()
{
    TRY(internal::seccomp().ensure());
    const internal::SeccompApi& seccomp = internal::seccomp().api();
    UniqueFd file(::memfd_create("ik-seccomp", MFD_CLOEXEC));
    if (!file)
        return fail(ErrorCode::io, "memfd_create: {}", std::strerror(errno));
    scmp_filter_ctx ctx = seccomp.seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return fail(ErrorCode::io, "seccomp_init failed");
    Result<void> added = add_terminal_rules(ctx);
    int rc = added ? seccomp.seccomp_export_bpf(ctx, file.get()) : 0;
    seccomp.seccomp_release(ctx);
    TRY(added);
    if (rc != 0)
        return fail(ErrorCode::io, "exporting the seccomp program: {}", std::strerror(-rc));

    std::string program;
    std::array<char, 4096> buf;
    ::lseek(file.get(), 0, SEEK_SET);
    for (;;) {
        ssize_t n = ::read(file.get(), buf.data(), buf.size());
        if (n == 0)
            return program;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(ErrorCode::io, "reading the seccomp program: {}", std::strerror(errno));
        program.append(buf.data(), static_cast<size_t>(n));
    }
}

} // namespace ik::sandbox
