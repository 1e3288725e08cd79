#include "core/lazy_library.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include "core/panic.h"

namespace ik {

LazySymbols::LazySymbols(const char* soname)
    : m_soname(soname)
{
    m_handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!m_handle) {
        const char* why = ::dlerror();
        m_error = why ? why : fmt::format("{}: dlopen failed", soname);
    }
}

void* LazySymbols::find(const char* name)
{
    if (!m_error.empty())
        return nullptr;
    void* found = ::dlsym(m_handle, name);
    if (!found)
        m_error = fmt::format("{} has no {} (another version than ik was built with)", m_soname, name);
    return found;
}

void lazy_library_missing(const char* soname, const char* purpose, const std::string& why)
{
    panic(fmt::format("{} needs {}: {}", purpose, soname, why));
}

} // namespace ik
