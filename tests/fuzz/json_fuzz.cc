// libFuzzer harness for json::parse, json::Parser and json::Field.
//
// Every input is parsed twice (one-shot parse and the reusable streaming
// parser into a reset scratch arena) and, when it parses, walked with Field:
// every typed getter on every node down to depth 8, plus the path the
// streaming decoders read. Properties checked: no crash, no sanitizer report,
// a parse error always names the source and position, both parsers agree,
// plain_string_in() accepts only strings the parser reads the same, and the
// arenas return every byte (the scope arena dies each run).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/arena.h"
#include "core/json.h"

namespace {

void check(bool ok)
{
    if (!ok)
        std::abort();
}

// Structural equality where NaN equals NaN: Boost.JSON 1.81 reads "0e+335"
// as 0 * inf, and both parsers must agree on that too.
bool same(const ik::json::value& a, const ik::json::value& b)
{
    if (a.is_double() && b.is_double())
        return a.get_double() == b.get_double() || (std::isnan(a.get_double()) && std::isnan(b.get_double()));
    if (a.kind() != b.kind())
        return false;
    if (a.is_array()) {
        const auto &x = a.get_array(), &y = b.get_array();
        if (x.size() != y.size())
            return false;
        for (size_t i = 0; i < x.size(); ++i)
            if (!same(x[i], y[i]))
                return false;
        return true;
    }
    if (a.is_object()) {
        const auto &x = a.get_object(), &y = b.get_object();
        if (x.size() != y.size())
            return false;
        for (const auto& kv : x) {
            const ik::json::value* other = y.if_contains(kv.key());
            if (!other || !same(kv.value(), *other))
                return false;
        }
        return true;
    }
    return a == b;
}

void walk(const ik::json::Field& f, int depth)
{
    (void)f.string();
    (void)f.integer();
    if (auto n = f.number())
        check(std::isfinite(*n));
    (void)f.boolean();
    (void)f.string_or("");
    (void)f.integer_or(0);
    check(!f.path().empty() || depth == 0);
    if (depth == 8 || !f.get())
        return;
    const ik::json::value& v = *f.get();
    if (v.is_object()) {
        for (const auto& kv : v.get_object())
            walk(f[std::string_view(kv.key())], depth + 1);
        check(!f["\x01missing"].exists());
    } else if (v.is_array()) {
        for (size_t i = 0; i < v.get_array().size(); ++i)
            walk(f[i], depth + 1);
        check(!f[v.get_array().size()].exists());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static ik::mem::Arena root("fuzz");
    static ik::mem::Arena parser_arena(root, "parser");
    static ik::json::Parser parser(parser_arena);
    static ik::mem::Arena scratch(root, "scratch", { .block_size = 16 * 1024 });

    std::string_view text(reinterpret_cast<const char*>(data), size);
    {
        ik::mem::Arena a(root, "input");
        auto v = ik::json::parse(a, text, "fuzz");
        auto w = parser.parse(text, scratch, "fuzz");
        check(v.has_value() == w.has_value());
        // The streaming shortcut reads only what the parser reads the same.
        if (auto plain = ik::json::plain_string_in(text, "\"", "\""))
            check(v && v->is_string() && std::string_view(v->get_string()) == *plain);
        if (v) {
            check(same(*v, *w));
            walk(ik::json::Field(*v), 0);
            (void)ik::json::Field(*v)["choices"][0]["delta"]["content"].string();
        } else {
            check(!v.error().message().empty());
            check(v.error().message().starts_with("fuzz:")); // source:line:column: what
        }
        scratch.reset();
    }
    check(root.subtree_reserved() == parser_arena.subtree_reserved() + scratch.subtree_reserved());
    return 0;
}
