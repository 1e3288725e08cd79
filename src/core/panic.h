// ik::panic — the third tier of error handling, for out-of-memory and
// impossible states. It runs the registered restore hooks (the terminal
// registers one so a panic never leaves the user's shell in raw mode), writes
// the message to stderr and aborts. Everything it does is async-signal-safe,
// so fatal signal handlers may call it too.
//
//   ik::register_panic_hook(&Terminal::restore_for_panic, this);
//   IK_ASSERT(parent != nullptr, "child arena without parent");
#pragma once

#include <string_view>

namespace ik {

using PanicHook = void (*)(void* context);

[[noreturn]] void panic(std::string_view message);

// At most 8 hooks; they run newest first. Hooks must be async-signal-safe.
void register_panic_hook(PanicHook hook, void* context);
void unregister_panic_hook(PanicHook hook, void* context);

// Makes every failed operator new panic with "out of memory" instead of
// throwing std::bad_alloc. Called once at start-up.
void install_out_of_memory_handler();

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line, std::string_view message);

} // namespace ik

// Contract checks: active in every build, because a broken invariant in a
// long-running session is better stopped than carried on.
#define IK_ASSERT(cond, message)                                                                                       \
    do {                                                                                                               \
        if (!(cond)) [[unlikely]]                                                                                      \
            ::ik::assertion_failed(#cond, __FILE__, __LINE__, (message));                                              \
    } while (0)
