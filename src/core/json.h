// JSON inside the ownership tree: Boost.JSON values whose storage is an arena.
//
// storage(arena) hands Boost.JSON the arena itself as its memory resource, and
// marks deallocation as trivial, so destroying a value never walks it and
// freeing (or resetting) the arena frees the whole document at once. Nothing
// is reference counted: the storage_ptr is a plain non-owning pointer.
//
//   mem::Arena scratch(turn, "event", {.block_size = 16 * 1024});
//   json::Parser parser(scratch);
//   boost::json::value v = TRY(parser.parse(chunk));
//   json::Field f(v);
//   std::string_view text = TRY(f["choices"][0]["delta"]["content"].string());
//   scratch.reset();  // the document is gone, without a walk
//
// Field reads typed values and, on a mismatch, says exactly where and what:
// "choices[0].delta.content: expected string, got number".
#pragma once

#include <array>
#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/parser.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include "core/arena.h"
#include "core/result.h"

namespace boost::json {
template <> struct is_deallocate_trivial<ik::mem::Arena> : std::true_type {
};
} // namespace boost::json

namespace ik::json {

using boost::json::array;
using boost::json::object;
using boost::json::value;

// A non-owning storage pointer to `arena`. Values built with it live exactly
// as long as the arena (or until its next reset).
inline boost::json::storage_ptr storage(mem::Arena& arena)
{
    return { &arena };
}

// Parses `text` into `arena`. `source` names the input in error messages
// ("config.json"); errors carry line and column.
Result<value> parse(mem::Arena& arena, std::string_view text, std::string_view source = "JSON");

// A reusable parser for the streaming path: its temporary stack is a fixed
// buffer carved from `arena` once, so parsing a chunk into a reset-per-event
// scratch arena touches the heap zero times in steady state.
// Borrows `arena`; it must outlive the parser. Results live in the arena
// passed to parse().
class Parser {
public:
    explicit Parser(mem::Arena& arena, size_t temp_bytes = 4096);
    Result<value> parse(std::string_view text, mem::Arena& into, std::string_view source = "JSON");

private:
    boost::json::parser m_parser;
};

// "line 3, column 7" for a byte offset into text.
struct TextPosition {
    size_t line = 1;
    size_t column = 1;
};
TextPosition position_of(std::string_view text, size_t offset);

std::string_view kind_name(const value& v);

// The first key that appears twice in one object of `text`, with where its
// second occurrence ends; nullopt when there is none (or text is not JSON:
// parse() reports that). Builds nothing.
struct DuplicateKey {
    std::string key;
    TextPosition position;
};
std::optional<DuplicateKey> find_duplicate_key(std::string_view text);

// Checks that `text` is one JSON object, building nothing (no memory however
// large the text). Errors as parse() words them.
Result<void> validate_object(std::string_view text, std::string_view source = "JSON");

// The hot path's shortcut past the parser: when `text` is exactly `prefix`,
// then a JSON string's contents with no escapes, control characters or
// invalid UTF-8, then `suffix` (then only whitespace), those contents;
// nullopt for anything else, which the caller parses in full. `prefix` ends
// with the string's opening quote and `suffix` starts with its closing one.
// Whatever it accepts, parse() reads as the same string (tested against it).
//   plain_string_in(R"({"t":"x","text":"hi"})", R"({"t":"x","text":")", R"("})") == "hi"
std::optional<std::string_view> plain_string_in(
    std::string_view text, std::string_view prefix, std::string_view suffix);

// Replaces every "\uD800".."\uDFFF" escape that is not half of a valid pair
// with "\ufffd" (U+FFFD), in place; returns how many. parse() and
// Parser::parse() do this by themselves when a document fails on one.
size_t repair_lone_surrogates(std::pmr::string& text);

// A typed, path-aware view of a value. Cheap to copy (it holds its path, up
// to 8 segments, by value); borrows the value and the key strings.
class Field {
public:
    explicit Field(const value& v)
        : m_value(&v)
    {
    }

    Field operator[](std::string_view key) const;
    Field operator[](size_t index) const;

    bool exists() const { return m_value != nullptr; }
    bool is_null() const { return !m_value || m_value->is_null(); }
    const value* get() const { return m_value; }
    size_t size() const; // array or object size; 0 otherwise

    Result<std::string_view> string() const;
    Result<int64_t> integer() const;
    Result<double> number() const; // finite only: NaN and infinities mismatch
    Result<bool> boolean() const;
    Result<const object*> as_object() const;
    Result<const array*> as_array() const;

    std::string_view string_or(std::string_view fallback) const;
    int64_t integer_or(int64_t fallback) const;
    bool boolean_or(bool fallback) const;

    // "choices[0].delta.content"
    std::string path() const;

private:
    struct Segment {
        std::string_view key;
        size_t index = 0;
        bool is_index = false;
    };
    Field child(const value* v, Segment segment) const;
    Error mismatch(std::string_view expected) const;

    const value* m_value = nullptr;
    std::array<Segment, 8> m_path{};
    uint8_t m_depth = 0;
    bool m_truncated = false;
};

} // namespace ik::json
