#include "store/internal/json_writer.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/panic.h"

namespace ik::store::internal {

JsonWriter::JsonWriter(mem::Arena& arena, size_t size_hint)
    : m_out(arena.make<std::pmr::string>(&arena))
{
    // Keys, quotes and the odd escape: a little over the strings themselves.
    m_out->reserve(size_hint + size_hint / 16 + 256);
    m_out->push_back('{');
    m_first[0] = true;
}

void JsonWriter::separator()
{
    if (!m_first[m_depth])
        m_out->push_back(',');
    m_first[m_depth] = false;
}

void JsonWriter::string(std::string_view s)
{
    m_out->push_back('"');
    // Runs of bytes that need no escape (nearly all of a reply's text) are
    // appended at once: a push_back per byte was ~25 instructions a byte.
    size_t run = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        auto u = static_cast<unsigned char>(c);
        if (c != '"' && c != '\\' && u >= 0x20)
            continue;
        m_out->append(s.substr(run, i - run));
        run = i + 1;
        switch (c) {
        case '"':
            m_out->append("\\\"");
            break;
        case '\\':
            m_out->append("\\\\");
            break;
        case '\n':
            m_out->append("\\n");
            break;
        case '\t':
            m_out->append("\\t");
            break;
        case '\r':
            m_out->append("\\r");
            break;
        default: {
            char buf[8];
            auto r = fmt::format_to_n(buf, sizeof buf, "\\u{:04x}", u);
            m_out->append(buf, r.size);
        }
        }
    }
    m_out->append(s.substr(run));
    m_out->push_back('"');
}

void JsonWriter::key(std::string_view k)
{
    separator();
    string(k);
    m_out->push_back(':');
}

JsonWriter& JsonWriter::field(std::string_view k, std::string_view value)
{
    key(k);
    string(value);
    return *this;
}

JsonWriter& JsonWriter::field(std::string_view k, int64_t value)
{
    key(k);
    char buf[24];
    auto r = fmt::format_to_n(buf, sizeof buf, "{}", value);
    m_out->append(buf, r.size);
    return *this;
}

JsonWriter& JsonWriter::field(std::string_view k, double value)
{
    key(k);
    // std::to_chars: the shortest text that reads back as the same double.
    // (fmt's "{}" wrote 0.0125 as "0.01" in the Clang 14 build.)
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, std::isfinite(value) ? value : 0.0);
    m_out->append(buf, static_cast<size_t>(r.ptr - buf));
    return *this;
}

JsonWriter& JsonWriter::field(std::string_view k, bool value)
{
    key(k);
    m_out->append(value ? "true" : "false");
    return *this;
}

JsonWriter& JsonWriter::field_if(std::string_view k, std::string_view value)
{
    if (!value.empty())
        field(k, value);
    return *this;
}

JsonWriter& JsonWriter::begin_array(std::string_view k)
{
    IK_ASSERT(m_depth + 1 < m_first.size(), "JSON nested too deep");
    key(k);
    m_out->push_back('[');
    m_first[++m_depth] = true;
    return *this;
}

JsonWriter& JsonWriter::end_array()
{
    IK_ASSERT(m_depth > 0, "unbalanced end");
    --m_depth;
    m_out->push_back(']');
    return *this;
}

JsonWriter& JsonWriter::begin_object()
{
    IK_ASSERT(m_depth + 1 < m_first.size(), "JSON nested too deep");
    separator();
    m_out->push_back('{');
    m_first[++m_depth] = true;
    return *this;
}

JsonWriter& JsonWriter::end_object()
{
    IK_ASSERT(m_depth > 0, "unbalanced end");
    --m_depth;
    m_out->push_back('}');
    return *this;
}

std::string_view JsonWriter::finish()
{
    IK_ASSERT(m_depth == 0, "unclosed array or object");
    m_out->push_back('}');
    return *m_out;
}

} // namespace ik::store::internal
