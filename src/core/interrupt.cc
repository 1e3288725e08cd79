#include "core/interrupt.h"

#include <atomic>
#include <csignal>

namespace ik {

namespace {
std::atomic<bool> stop_flag{ false };
} // namespace

bool stop_signal_pending()
{
    sigset_t pending;
    if (::sigpending(&pending) != 0)
        return false;
    return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1
        || sigismember(&pending, SIGHUP) == 1;
}

void request_stop()
{
    stop_flag.store(true, std::memory_order_relaxed);
}

bool stopping()
{
    return stop_flag.load(std::memory_order_relaxed);
}

} // namespace ik
