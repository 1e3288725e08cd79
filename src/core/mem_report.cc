#include "core/mem_report.h"

#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include "core/json.h"

namespace ik::mem {

namespace {

constexpr size_t indent_per_level = 4;

bool reported = false;

std::string amount(size_t bytes, Units units)
{
    return units == Units::human ? human_bytes(bytes) : fmt::format("{} bytes", bytes);
}

// A bare number in byte mode (the established format), a unit in human mode.
std::string number(size_t bytes, Units units)
{
    return units == Units::human ? human_bytes(bytes) : fmt::format("{}", bytes);
}

void append_node(std::string& out, const Arena& a, size_t depth, Units u)
{
    Stats s = a.stats();
    Stats sub = a.subtree_stats();
    fmt::format_to(std::back_inserter(out), "{:{}}{}: {}, peak {}, reserved {} in {} blocks, {} allocs", "",
        depth * indent_per_level, a.name(), amount(s.bytes, u), number(s.peak, u), number(s.reserved, u), s.blocks,
        s.allocs);
    fmt::format_to(
        std::back_inserter(out), "; subtree {}, {} reserved", amount(sub.bytes, u), number(a.subtree_reserved(), u));
    if (a.cap()) {
        fmt::format_to(std::back_inserter(out), "; cap {} ({}%, {})", number(a.cap(), u),
            a.subtree_reserved() * 100 / a.cap(), pressure_name(a.pressure()));
    }
    out += '\n';
    for (const Arena* c = a.first_child(); c; c = c->next_sibling())
        append_node(out, *c, depth + 1, u);
}

void put_stats(boost::json::object& o, const Stats& s)
{
    o["bytes"] = s.bytes;
    o["peak"] = s.peak;
    o["reserved"] = s.reserved;
    o["blocks"] = s.blocks;
    o["allocs"] = s.allocs;
}

boost::json::value node_json(const Arena& a, const boost::json::storage_ptr& sp)
{
    boost::json::object o(sp);
    o["name"] = a.name();
    put_stats(o, a.stats());
    boost::json::object sub(sp);
    put_stats(sub, a.subtree_stats());
    // The subtree's reserved bytes are tracked exactly (with the node
    // allocation of make_child children included); prefer them to the sum.
    sub["reserved"] = a.subtree_reserved();
    sub["peak_reserved"] = a.subtree_peak_reserved();
    o["subtree"] = std::move(sub);
    if (a.cap()) {
        o["cap"] = a.cap();
        o["pressure"] = pressure_name(a.pressure());
    }
    boost::json::array children(sp);
    for (const Arena* c = a.first_child(); c; c = c->next_sibling())
        children.push_back(node_json(*c, sp));
    o["children"] = std::move(children);
    // Braces would pick json::value's initializer_list<value_ref> constructor:
    // a one-element array [o] in the default storage instead of o itself.
    // NOLINTNEXTLINE(modernize-return-braced-init-list): braces pick initializer_list<value_ref>
    return boost::json::value(std::move(o));
}

} // namespace

std::string_view pressure_name(Pressure pressure)
{
    switch (pressure) {
    case Pressure::normal:
        return "normal";
    case Pressure::high:
        return "high";
    case Pressure::over:
        return "over";
    }
    return "unknown";
}

std::string human_bytes(size_t bytes)
{
    if (bytes < 1024)
        return fmt::format("{} B", bytes);
    constexpr std::string_view units[] = { "KiB", "MiB", "GiB", "TiB" };
    double v = static_cast<double>(bytes) / 1024;
    size_t i = 0;
    while (v >= 1024 && i + 1 < std::size(units)) {
        v /= 1024;
        ++i;
    }
    return fmt::format("{:.1f} {}", v, units[i]);
}

size_t resident_bytes()
{
    std::FILE* f = std::fopen("/proc/self/statm", "re");
    if (!f)
        return 0;
    unsigned long size = 0;
    unsigned long resident = 0;
    int got = std::fscanf(f, "%lu %lu", &size, &resident);
    std::fclose(f);
    long page = ::sysconf(_SC_PAGESIZE);
    return got == 2 && page > 0 ? resident * static_cast<size_t>(page) : 0;
}

std::string report_text(const Arena& arena, Units units)
{
    Stats sub = arena.subtree_stats();
    std::string out = fmt::format("full arena report on '{}' (total {} in use, peak {}, {} reserved in {} blocks, {} "
                                  "allocs); process RSS {}\n",
        arena.name(), amount(sub.bytes, units), number(sub.peak, units), number(arena.subtree_reserved(), units),
        sub.blocks, sub.allocs, amount(resident_bytes(), units));
    append_node(out, arena, 0, units);
    return out;
}

boost::json::value report_json(const Arena& arena, Arena& into)
{
    return node_json(arena, json::storage(into));
}

void maybe_report()
{
    const char* flag = std::getenv("IK_MEM_REPORT");
    if (reported || !flag || !*flag || std::string_view(flag) == "0")
        return;
    reported = true;
    std::string text = report_text(root());
    std::fwrite(text.data(), 1, text.size(), stderr);
}

void maybe_report_at_exit()
{
    maybe_report();
}

} // namespace ik::mem
