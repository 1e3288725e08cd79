// A shared library ik opens on first use instead of linking.
//
// Every library ik links is mapped, relocated and searched by the dynamic
// loader at every start, whether the run needs it or not: each one makes
// every symbol lookup of every other library slower (docs/perf.md). The
// libraries only some runs need (libpq for a PostgreSQL store, gumbo for
// web_fetch, PCRE2 for grep, libseccomp for the sandbox, md4c and libunibreak
// for the REPL's transcript, libgit2 for checkpoints) are opened with dlopen
// the first time they are used instead. Each lists the functions ik calls in
// an X-macro; IK_LAZY_API turns the list into a table of pointers, and a
// LazyLibrary fills it once per process:
//
//   #define IK_MD4C_FUNCTIONS(X) X(md_parse)
//   IK_LAZY_API(Md4cApi, IK_MD4C_FUNCTIONS)
//
//   const LazyLibrary<Md4cApi>& md4c()
//   {
//       static const LazyLibrary<Md4cApi> library(IK_MD4C_SONAME, "Markdown rendering");
//       return library;
//   }
//
//   TRY(md4c().ensure());          // a clean error where the caller can take one
//   md4c().api().md_parse(...);    // PANIC if the library could not be opened
//
// The library is opened by soname (the ABI of the headers ik was built with;
// src/CMakeLists.txt reads it from the library file), RTLD_LOCAL so what it
// pulls in stays out of ik's namespace, and never closed: pointers into it may
// be used until the process ends. A LazyLibrary owns its table and the error
// text; the dlopen handle is intentionally leaked to the process.
#pragma once

#include <string>

#include "core/result.h"

namespace ik {

// One opened library's symbols; remembers the first failure (the dlopen
// error, or the first function the library lacks).
class LazySymbols {
public:
    explicit LazySymbols(const char* soname);

    template <typename Pointer> void resolve(Pointer& pointer, const char* name)
    {
        pointer = reinterpret_cast<Pointer>(find(name));
    }
    std::string take_error() { return std::move(m_error); }

private:
    void* find(const char* name);

    const char* m_soname;
    void* m_handle = nullptr;
    std::string m_error;
};

// PANIC: "<purpose> needs <soname>: <why>".
[[noreturn]] void lazy_library_missing(const char* soname, const char* purpose, const std::string& why);

template <typename Api> class LazyLibrary {
public:
    // Opens `soname` and resolves Api; `purpose` names what needs it in errors.
    LazyLibrary(const char* soname, const char* purpose)
        : m_soname(soname)
        , m_purpose(purpose)
    {
        LazySymbols symbols(soname);
        m_api.resolve(symbols);
        m_error = symbols.take_error();
    }

    bool loaded() const { return m_error.empty(); }

    Result<void> ensure() const
    {
        if (!loaded())
            return fail(ErrorCode::io, "{} needs {}: {}", m_purpose, m_soname, m_error);
        return {};
    }

    const Api& api() const
    {
        if (!loaded())
            lazy_library_missing(m_soname, m_purpose, m_error);
        return m_api;
    }

private:
    const char* m_soname;
    const char* m_purpose;
    Api m_api;
    std::string m_error; // empty when loaded
};

} // namespace ik

// The table of a library's functions (or objects): one pointer per name,
// typed from the declaration in the library's header, and resolve(), which
// fills them all. A name the header defines as a macro (PCRE2's
// pcre2_compile is pcre2_compile_8) is looked up as what it expands to.
#define IK_LAZY_POINTER_(name) decltype(&::name) name = nullptr;
#define IK_LAZY_STRING_(name) #name
#define IK_LAZY_RESOLVE_(name) symbols.resolve(name, IK_LAZY_STRING_(name));
#define IK_LAZY_API(Api, FUNCTIONS)                                                                                    \
    struct Api {                                                                                                       \
        FUNCTIONS(IK_LAZY_POINTER_)                                                                                    \
        void resolve(::ik::LazySymbols& symbols) { FUNCTIONS(IK_LAZY_RESOLVE_) }                                       \
    };
