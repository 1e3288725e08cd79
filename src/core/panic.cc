#include "core/panic.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <new>

#include <unistd.h>

namespace ik {
namespace {

struct HookSlot {
    PanicHook hook = nullptr;
    void* context = nullptr;
};

std::array<HookSlot, 8> g_hooks;
volatile int g_panicking = 0;

void write_all(std::string_view text)
{
    while (!text.empty()) {
        ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
        if (n <= 0)
            return;
        text.remove_prefix(static_cast<size_t>(n));
    }
}

void run_hooks()
{
    for (size_t i = g_hooks.size(); i-- > 0;) {
        HookSlot slot = g_hooks[i];
        if (slot.hook)
            slot.hook(slot.context);
    }
}

void out_of_memory()
{
    panic("out of memory");
}

} // namespace

void register_panic_hook(PanicHook hook, void* context)
{
    for (auto& slot : g_hooks) {
        if (!slot.hook) {
            slot = { hook, context };
            return;
        }
    }
    panic("too many panic hooks");
}

void unregister_panic_hook(PanicHook hook, void* context)
{
    for (auto& slot : g_hooks) {
        if (slot.hook == hook && slot.context == context)
            slot = {};
    }
}

void panic(std::string_view message)
{
    // A hook that panics must not recurse forever: the second panic skips them.
    if (!g_panicking) {
        g_panicking = 1;
        run_hooks();
    }
    write_all("ik: panic: ");
    write_all(message);
    write_all("\n");
    std::abort();
}

void install_out_of_memory_handler()
{
    std::set_new_handler(&out_of_memory);
}

void assertion_failed(const char* expr, const char* file, int line, std::string_view message)
{
    // Formatting must not allocate here: the failed assertion may be inside an allocator.
    char buffer[512];
    char digits[16];
    int len = 0;
    for (int v = line; v > 0 && len < 15; v /= 10)
        digits[len++] = static_cast<char>('0' + v % 10);
    size_t pos = 0;
    auto append = [&](std::string_view s) {
        size_t n = std::min(s.size(), sizeof(buffer) - 1 - pos);
        std::memcpy(buffer + pos, s.data(), n);
        pos += n;
    };
    append("assertion failed: ");
    append(expr);
    append(" (");
    append(file);
    append(":");
    while (len > 0) {
        char c = digits[--len];
        append(std::string_view(&c, 1));
    }
    append("): ");
    append(message);
    panic(std::string_view(buffer, pos));
}

} // namespace ik
