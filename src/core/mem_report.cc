#include "core/mem_report.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "core/json.h"

namespace ik::mem {

namespace {

constexpr size_t indent_per_level = 4;

void append_node(std::string& out, const Arena& a, size_t depth)
{
    Stats s = a.stats();
    Stats sub = a.subtree_stats();
    fmt::format_to(std::back_inserter(out), "{:{}}{}: {} bytes, peak {}, reserved {} in {} blocks, {} allocs", "",
        depth * indent_per_level, a.name(), s.bytes, s.peak, s.reserved, s.blocks, s.allocs);
    fmt::format_to(std::back_inserter(out), "; subtree {} bytes, {} reserved", sub.bytes, a.subtree_reserved());
    if (a.cap()) {
        fmt::format_to(std::back_inserter(out), "; cap {} ({}%, {})", a.cap(), a.subtree_reserved() * 100 / a.cap(),
            pressure_name(a.pressure()));
    }
    out += '\n';
    for (const Arena* c = a.first_child(); c; c = c->next_sibling())
        append_node(out, *c, depth + 1);
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

std::string report_text(const Arena& arena)
{
    Stats sub = arena.subtree_stats();
    std::string out = fmt::format(
        "full arena report on '{}' (total {} bytes in use, peak {}, {} reserved in {} blocks, {} allocs)\n",
        arena.name(), sub.bytes, sub.peak, arena.subtree_reserved(), sub.blocks, sub.allocs);
    append_node(out, arena, 0);
    return out;
}

boost::json::value report_json(const Arena& arena, Arena& into)
{
    return node_json(arena, json::storage(into));
}

void maybe_report_at_exit()
{
    const char* flag = std::getenv("IK_MEM_REPORT");
    if (!flag || !*flag || std::string_view(flag) == "0")
        return;
    std::string text = report_text(root());
    std::fwrite(text.data(), 1, text.size(), stderr);
}

} // namespace ik::mem
