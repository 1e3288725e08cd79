// ik::Result<T> — std::expected<T, ik::Error>, and TRY to propagate it.
//
//   Result<Config> load(std::string_view path);
//   Result<void> run() {
//       Config c = TRY(load("config.json"));
//       TRY_CONTEXT(check(c), "while checking {}", "config.json");
//       return {};
//   }
//
// Clang 14 cannot instantiate libstdc++ 12's std::expected (it needs
// P0848 conditionally trivial destructors), so there, and only there, a small
// compatible subset lives in internal/expected_fallback.h. Code in ik uses
// only that subset: has_value, operator bool, *, ->, value, error, value_or.
#pragma once

#include "core/error.h"

#if __has_include(<expected>)
#include <expected>
#endif

#if defined(__cpp_lib_expected)
namespace ik {
template <typename T, typename E> using Expected = std::expected<T, E>;
template <typename E> using Unexpected = std::unexpected<E>;
} // namespace ik
#else
#include "core/internal/expected_fallback.h"
#endif

namespace ik {

// A class rather than an alias so that it can be [[nodiscard]]: ignoring a
// Result is always a bug. It is-a std::expected and converts both ways.
template <typename T> class [[nodiscard]] Result : public Expected<T, Error> {
public:
    // The inherited default constructor is Expected's own (placement-new of T
    // under expected_fallback.h); there is nothing here to "= default".
    using Expected<T, Error>::Expected; // NOLINT(modernize-use-equals-default): inherited constructor, not user-written
    Result(Expected<T, Error> e)
        : Expected<T, Error>(std::move(e))
    {
    }
};

inline Unexpected<Error> fail(Error error)
{
    return Unexpected<Error>(std::move(error));
}

template <typename... Args> Unexpected<Error> fail(ErrorCode code, fmt::format_string<Args...> format, Args&&... args)
{
    return Unexpected<Error>(Error::make(code, format, std::forward<Args>(args)...));
}

namespace detail {
template <typename T> T take_value(Expected<T, Error>& r)
{
    return std::move(*r);
}
inline void take_value(Expected<void, Error>&)
{
}
} // namespace detail

} // namespace ik

// TRY(expr): evaluate a Result; on error return it from the enclosing function,
// otherwise yield the value. A GNU statement expression, as in SerenityOS.
#define TRY(expr)                                                                                                      \
    ({                                                                                                                 \
        auto _ik_try_result = (expr);                                                                                  \
        if (!_ik_try_result.has_value()) [[unlikely]]                                                                  \
            return ::ik::fail(std::move(_ik_try_result.error()));                                                      \
        ::ik::detail::take_value(_ik_try_result);                                                                      \
    })

// TRY_CONTEXT(expr, fmt, args...): as TRY, adding a line of context on error.
#define TRY_CONTEXT(expr, ...)                                                                                         \
    ({                                                                                                                 \
        auto _ik_try_result = (expr);                                                                                  \
        if (!_ik_try_result.has_value()) [[unlikely]] {                                                                \
            _ik_try_result.error().add_context(fmt::format(__VA_ARGS__));                                              \
            return ::ik::fail(std::move(_ik_try_result.error()));                                                      \
        }                                                                                                              \
        ::ik::detail::take_value(_ik_try_result);                                                                      \
    })
