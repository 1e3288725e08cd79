// Two checks Boost.JSON 1.81 does not make the way ik needs them.
//
// Validation without a document: validate_object() checks syntax with the
// same SAX parser and a handler that keeps nothing, so checking a large
// event costs no memory.
//
// Duplicate keys: the DOM parser keeps the last of two equal keys silently,
// which in a config file hides a mistake. find_duplicate_key() runs the SAX
// parser (basic_parser) with a handler that only remembers the keys of the
// open objects, so nothing is built.
//
// The stream's shortcut: plain_string_in() reads the string out of an event
// of one fixed shape by comparing bytes, for the deltas that are most of a
// reply; anything it is not sure of goes to the parser.
//
// Lone surrogates: a model stream may carry "\ud800" without its partner
// (a tokenizer split an emoji). Boost.JSON rejects the whole document; ik
// replaces each unpaired surrogate escape with U+FFFD and parses again.
#include <set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>

#include "core/json.h"
#include "core/utf8.h"

namespace ik::json {

namespace {

class KeyHandler {
public:
    static constexpr size_t max_object_size = size_t(-1);
    static constexpr size_t max_array_size = size_t(-1);
    static constexpr size_t max_key_size = size_t(-1);
    static constexpr size_t max_string_size = size_t(-1);

    using sv = boost::json::string_view;
    using ec_t = boost::system::error_code;

    bool on_document_begin(ec_t&) { return true; }
    bool on_document_end(ec_t&) { return true; }
    bool on_object_begin(ec_t&)
    {
        m_open.emplace_back();
        return true;
    }
    bool on_object_end(size_t, ec_t&)
    {
        m_open.pop_back();
        return true;
    }
    bool on_array_begin(ec_t&) { return true; }
    bool on_array_end(size_t, ec_t&) { return true; }
    bool on_key_part(sv s, size_t, ec_t&)
    {
        m_key.append(s.data(), s.size());
        return true;
    }
    bool on_key(sv s, size_t, ec_t& ec)
    {
        m_key.append(s.data(), s.size());
        bool fresh = m_open.back().insert(m_key).second;
        if (!fresh) {
            duplicate = m_key;
            ec = boost::json::error::syntax;
            return false;
        }
        m_key.clear();
        return true;
    }
    bool on_string_part(sv, size_t, ec_t&) { return true; }
    bool on_string(sv, size_t, ec_t&) { return true; }
    bool on_number_part(sv, ec_t&) { return true; }
    bool on_int64(int64_t, sv, ec_t&) { return true; }
    bool on_uint64(uint64_t, sv, ec_t&) { return true; }
    bool on_double(double, sv, ec_t&) { return true; }
    bool on_bool(bool, ec_t&) { return true; }
    bool on_null(ec_t&) { return true; }
    bool on_comment_part(sv, ec_t&) { return true; }
    bool on_comment(sv, ec_t&) { return true; }

    std::optional<std::string> duplicate;

private:
    std::vector<std::set<std::string>> m_open;
    std::string m_key;
};

// Accepts every document: validation is basic_parser's own work.
class NullHandler {
public:
    static constexpr size_t max_object_size = size_t(-1);
    static constexpr size_t max_array_size = size_t(-1);
    static constexpr size_t max_key_size = size_t(-1);
    static constexpr size_t max_string_size = size_t(-1);

    using sv = boost::json::string_view;
    using ec_t = boost::system::error_code;

    bool on_document_begin(ec_t&) { return true; }
    bool on_document_end(ec_t&) { return true; }
    bool on_object_begin(ec_t&) { return true; }
    bool on_object_end(size_t, ec_t&) { return true; }
    bool on_array_begin(ec_t&) { return true; }
    bool on_array_end(size_t, ec_t&) { return true; }
    bool on_key_part(sv, size_t, ec_t&) { return true; }
    bool on_key(sv, size_t, ec_t&) { return true; }
    bool on_string_part(sv, size_t, ec_t&) { return true; }
    bool on_string(sv, size_t, ec_t&) { return true; }
    bool on_number_part(sv, ec_t&) { return true; }
    bool on_int64(int64_t, sv, ec_t&) { return true; }
    bool on_uint64(uint64_t, sv, ec_t&) { return true; }
    bool on_double(double, sv, ec_t&) { return true; }
    bool on_bool(bool, ec_t&) { return true; }
    bool on_null(ec_t&) { return true; }
    bool on_comment_part(sv, ec_t&) { return true; }
    bool on_comment(sv, ec_t&) { return true; }
};

bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The code unit of a "\uXXXX" escape at `at`, or -1.
int escape_at(std::string_view text, size_t at)
{
    if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u')
        return -1;
    int v = 0;
    for (size_t i = at + 2; i < at + 6; ++i) {
        if (!is_hex(text[i]))
            return -1;
        char c = text[i];
        v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

} // namespace

std::optional<DuplicateKey> find_duplicate_key(std::string_view text)
{
    boost::json::basic_parser<KeyHandler> parser(boost::json::parse_options{});
    boost::system::error_code ec;
    size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (!parser.handler().duplicate)
        return std::nullopt;
    return DuplicateKey{ std::move(*parser.handler().duplicate), position_of(text, used) };
}

Result<void> validate_object(std::string_view text, std::string_view source)
{
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '{')
        return fail(ErrorCode::invalid_argument, "{}: expected a JSON object", source);
    boost::json::basic_parser<NullHandler> parser(boost::json::parse_options{});
    boost::system::error_code ec;
    size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (!ec && used < text.size())
        ec = boost::json::error::extra_data;
    if (ec) {
        TextPosition pos = position_of(text, used);
        return fail(ErrorCode::parse, "{}:{}:{}: {}", source, pos.line, pos.column, ec.message());
    }
    return {};
}

size_t repair_lone_surrogates(std::pmr::string& text)
{
    size_t replaced = 0;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '\\')
            continue;
        int unit = escape_at(text, i);
        if (unit < 0) {
            ++i; // any other escape, including "\\\\": skip its second character
            continue;
        }
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            int next = escape_at(text, i + 6);
            if (next >= 0xDC00 && next <= 0xDFFF) {
                i += 11; // a valid pair
                continue;
            }
        } else if (unit < 0xDC00 || unit > 0xDFFF) {
            i += 5;
            continue;
        }
        text.replace(i, 6, "\\ufffd");
        ++replaced;
        i += 5;
    }
    return replaced;
}

std::optional<std::string_view> plain_string_in(std::string_view text, std::string_view prefix, std::string_view suffix)
{
    if (!text.starts_with(prefix))
        return std::nullopt;
    size_t begin = prefix.size();
    size_t end = begin;
    bool ascii = true;
    // A UTF-8 continuation or lead byte is never a quote, a backslash or a
    // control character, so a byte scan finds the string's end.
    for (; end < text.size(); ++end) {
        auto c = static_cast<unsigned char>(text[end]);
        if (c == '"' || c == '\\' || c < 0x20)
            break;
        ascii = ascii && c < 0x80;
    }
    std::string_view rest = text.substr(end);
    if (!rest.starts_with(suffix) || rest.find_first_not_of(" \t\r\n", suffix.size()) != std::string_view::npos)
        return std::nullopt;
    std::string_view contents = text.substr(begin, end - begin);
    if (!ascii && !utf8::is_valid(contents))
        return std::nullopt;
    return contents;
}

} // namespace ik::json
