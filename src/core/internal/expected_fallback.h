// A minimal std::expected for toolchains whose standard library cannot
// provide one (Clang 14 + libstdc++ 12). Only the subset ik uses is here;
// under GCC 12 the real std::expected is used and this file is not included.
#pragma once

#include <new>
#include <type_traits>
#include <utility>

#include "core/panic.h"

namespace ik {

template <typename E> class Unexpected {
public:
    explicit Unexpected(E e)
        : m_error(std::move(e))
    {
    }
    E& error() & { return m_error; }
    E&& error() && { return std::move(m_error); }

private:
    E m_error;
};

template <typename T, typename E> class Expected {
public:
    using value_type = T;
    using error_type = E;

    Expected() requires std::is_default_constructible_v<T> { new (&m_value) T(); }
    template <typename U = T>
    requires(
        std::is_constructible_v<T,
            U&&> && !std::is_same_v<std::remove_cvref_t<U>, Expected> && !std::is_same_v<std::remove_cvref_t<U>, Unexpected<E>>)
        // The requires-clause already excludes Expected and Unexpected;
        // clang-tidy 14 only recognises enable_if there.
        // NOLINTNEXTLINE(bugprone-forwarding-reference-overload)
        Expected(U&& v)
    {
        new (&m_value) T(std::forward<U>(v));
    }
    template <typename G>
    Expected(Unexpected<G> u)
        : m_has(false)
    {
        new (&m_error) E(std::move(u.error()));
    }
    Expected(const Expected& o)
        : m_has(o.m_has)
    {
        o.m_has ? (void)new (&m_value) T(o.m_value) : (void)new (&m_error) E(o.m_error);
    }
    Expected(Expected&& o) noexcept
        : m_has(o.m_has)
    {
        o.m_has ? (void)new (&m_value) T(std::move(o.m_value)) : (void)new (&m_error) E(std::move(o.m_error));
    }
    Expected& operator=(Expected o) noexcept
    {
        destroy();
        m_has = o.m_has;
        m_has ? (void)new (&m_value) T(std::move(o.m_value)) : (void)new (&m_error) E(std::move(o.m_error));
        return *this;
    }
    ~Expected() { destroy(); }

    bool has_value() const { return m_has; }
    explicit operator bool() const { return m_has; }
    T& operator*() & { return m_value; }
    const T& operator*() const& { return m_value; }
    T&& operator*() && { return std::move(m_value); }
    T* operator->() { return &m_value; }
    const T* operator->() const { return &m_value; }
    T& value() &
    {
        check();
        return m_value;
    }
    const T& value() const&
    {
        check();
        return m_value;
    }
    T&& value() &&
    {
        check();
        return std::move(m_value);
    }
    E& error() & { return m_error; }
    const E& error() const& { return m_error; }
    template <typename U> T value_or(U&& other) const&
    {
        return m_has ? m_value : static_cast<T>(std::forward<U>(other));
    }

private:
    void check() const
    {
        if (!m_has)
            panic("Expected::value() on an error");
    }
    void destroy() { m_has ? m_value.~T() : m_error.~E(); }
    union {
        T m_value;
        E m_error;
    };
    bool m_has = true;
};

template <typename E> class Expected<void, E> {
public:
    using value_type = void;
    using error_type = E;

    // Not `= default`: that would be deleted, because the union's E has a
    // non-trivial constructor.
    Expected() { } // NOLINT(modernize-use-equals-default)
    template <typename G>
    Expected(Unexpected<G> u)
        : m_has(false)
    {
        new (&m_error) E(std::move(u.error()));
    }
    Expected(const Expected& o)
        : m_has(o.m_has)
    {
        if (!m_has)
            new (&m_error) E(o.m_error);
    }
    Expected(Expected&& o) noexcept
        : m_has(o.m_has)
    {
        if (!m_has)
            new (&m_error) E(std::move(o.m_error));
    }
    Expected& operator=(Expected o) noexcept
    {
        destroy();
        m_has = o.m_has;
        if (!m_has)
            new (&m_error) E(std::move(o.m_error));
        return *this;
    }
    ~Expected() { destroy(); }

    bool has_value() const { return m_has; }
    explicit operator bool() const { return m_has; }
    void operator*() const { }
    void value() const
    {
        if (!m_has)
            panic("Expected::value() on an error");
    }
    E& error() & { return m_error; }
    const E& error() const& { return m_error; }

private:
    void destroy()
    {
        if (!m_has)
            m_error.~E();
    }
    union {
        E m_error;
    };
    bool m_has = true;
};

} // namespace ik
