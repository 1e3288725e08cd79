#include "core/json.h"

#include <cmath>

#include <boost/json/serialize.hpp>

namespace ik::json {

TextPosition position_of(std::string_view text, size_t offset)
{
    TextPosition pos;
    offset = std::min(offset, text.size());
    for (size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column;
        }
    }
    return pos;
}

namespace {

Result<value> parse_with(boost::json::parser& parser, std::string_view text, mem::Arena& into, std::string_view source)
{
    parser.reset(storage(into));
    boost::system::error_code ec;
    size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec) {
        size_t rest = text.find_first_not_of(" \t\r\n", used);
        if (rest != std::string_view::npos) {
            used = rest;
            ec = boost::json::error::extra_data;
        }
    }
    if (ec && text.find("\\u") != std::string_view::npos) {
        // Maybe a lone surrogate escape (a model's tokenizer split a pair;
        // Boost.JSON reports it as a syntax or surrogate error): keep the
        // document, with U+FFFD in its place. Only on failure, so the copy
        // costs nothing on the way that works.
        parser.reset();
        std::pmr::string fixed(text, &into);
        if (repair_lone_surrogates(fixed) > 0)
            return parse_with(parser, fixed, into, source);
    }
    if (ec) {
        // write_some stops at the offending byte, so `used` is its offset.
        TextPosition pos = position_of(text, used);
        parser.reset();
        return fail(ErrorCode::parse, "{}:{}:{}: {}", source, pos.line, pos.column, ec.message());
    }
    return parser.release();
}

} // namespace

Result<value> parse(mem::Arena& arena, std::string_view text, std::string_view source)
{
    unsigned char temp[2048];
    boost::json::parse_options options;
    boost::json::parser parser(boost::json::storage_ptr(&arena), options, temp, sizeof temp);
    return parse_with(parser, text, arena, source);
}

Parser::Parser(mem::Arena& arena, size_t temp_bytes)
    : m_parser(boost::json::storage_ptr(&arena), boost::json::parse_options{},
        static_cast<unsigned char*>(arena.alloc(temp_bytes, 16)), temp_bytes)
{
}

Result<value> Parser::parse(std::string_view text, mem::Arena& into, std::string_view source)
{
    return parse_with(m_parser, text, into, source);
}

std::string_view kind_name(const value& v)
{
    switch (v.kind()) {
    case boost::json::kind::null:
        return "null";
    case boost::json::kind::bool_:
        return "boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
        return "number";
    case boost::json::kind::string:
        return "string";
    case boost::json::kind::array:
        return "array";
    case boost::json::kind::object:
        return "object";
    }
    return "unknown";
}

Field Field::child(const value* v, Segment segment) const
{
    Field f(*this);
    f.m_value = v;
    if (f.m_depth < f.m_path.size())
        f.m_path[f.m_depth++] = segment;
    else
        f.m_truncated = true;
    return f;
}

Field Field::operator[](std::string_view key) const
{
    const value* v = nullptr;
    if (m_value && m_value->is_object()) {
        auto it = m_value->get_object().find(key);
        if (it != m_value->get_object().end())
            v = &it->value();
    }
    return child(v, Segment{ key, 0, false });
}

Field Field::operator[](size_t index) const
{
    const value* v = nullptr;
    if (m_value && m_value->is_array() && index < m_value->get_array().size())
        v = &m_value->get_array()[index];
    return child(v, Segment{ {}, index, true });
}

size_t Field::size() const
{
    if (!m_value)
        return 0;
    if (m_value->is_array())
        return m_value->get_array().size();
    if (m_value->is_object())
        return m_value->get_object().size();
    return 0;
}

std::string Field::path() const
{
    std::string out;
    for (size_t i = 0; i < m_depth; ++i) {
        const Segment& s = m_path[i];
        if (s.is_index) {
            out += fmt::format("[{}]", s.index);
        } else {
            if (!out.empty())
                out += '.';
            out += s.key;
        }
    }
    if (m_truncated)
        out += "…";
    return out.empty() ? std::string("(root)") : out;
}

Error Field::mismatch(std::string_view expected) const
{
    if (!m_value)
        return Error::make(ErrorCode::parse, "{}: expected {}, but it is missing", path(), expected);
    return Error::make(ErrorCode::parse, "{}: expected {}, got {}", path(), expected, kind_name(*m_value));
}

Result<std::string_view> Field::string() const
{
    if (!m_value || !m_value->is_string())
        return fail(mismatch("string"));
    const auto& s = m_value->get_string();
    return std::string_view(s.data(), s.size());
}

Result<int64_t> Field::integer() const
{
    if (m_value) {
        if (m_value->is_int64())
            return m_value->get_int64();
        if (m_value->is_uint64() && m_value->get_uint64() <= uint64_t(INT64_MAX))
            return static_cast<int64_t>(m_value->get_uint64());
        if (m_value->is_double()) {
            double d = m_value->get_double();
            // Range first: casting a double outside int64_t is undefined
            // (json_fuzz found "7777333…337"). 0x1p63 is 2^63, exactly.
            if (d >= -0x1p63 && d < 0x1p63 && d == static_cast<double>(static_cast<int64_t>(d)))
                return static_cast<int64_t>(d);
        }
    }
    return fail(mismatch("integer"));
}

Result<double> Field::number() const
{
    // Boost.JSON 1.81 reads "0e+335" as 0 * inf = NaN (json_fuzz): a
    // number that is not finite is no number a caller can use.
    if (m_value && m_value->is_number()) {
        auto d = m_value->to_number<double>();
        if (std::isfinite(d))
            return d;
    }
    return fail(mismatch("number"));
}

Result<bool> Field::boolean() const
{
    if (m_value && m_value->is_bool())
        return m_value->get_bool();
    return fail(mismatch("boolean"));
}

Result<const object*> Field::as_object() const
{
    if (m_value && m_value->is_object())
        return &m_value->get_object();
    return fail(mismatch("object"));
}

Result<const array*> Field::as_array() const
{
    if (m_value && m_value->is_array())
        return &m_value->get_array();
    return fail(mismatch("array"));
}

std::string_view Field::string_or(std::string_view fallback) const
{
    if (m_value && m_value->is_string())
        return { m_value->get_string().data(), m_value->get_string().size() };
    return fallback;
}

int64_t Field::integer_or(int64_t fallback) const
{
    // Cheap on the streaming path: a missing field must not build an Error.
    if (!m_value || !m_value->is_number())
        return fallback;
    auto r = integer();
    return r ? *r : fallback;
}

bool Field::boolean_or(bool fallback) const
{
    if (m_value && m_value->is_bool())
        return m_value->get_bool();
    return fallback;
}

} // namespace ik::json
