// JsonWriter — builds one event's JSON text in an arena, without the heap.
//
// Event records (store/records.h) serialise through this instead of building
// a Boost.JSON document and calling serialize(), which returns a heap string:
// on the turn path every recorded event would otherwise cost heap
// allocations. The writer appends to a pmr string in the caller's arena, so
// the text lives exactly as long as that arena (a per-append scratch).
//
//   internal::JsonWriter w(scratch);
//   w.field("text", text).field("is_error", true);
//   std::string_view json = w.finish();   // {"text":"…","is_error":true}
//
// Strings are escaped as JSON requires (quote, backslash, control bytes);
// other bytes pass through unchanged, as Boost.JSON's serializer does.
// Borrows the arena; the returned text is in it.
#pragma once

#include <array>
#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>

#include "core/arena.h"

namespace ik::store::internal {

class JsonWriter {
public:
    // `size_hint`: about how long the text will be (the sum of its strings),
    // so that a long text is not regrown by doubling in a bump arena.
    explicit JsonWriter(mem::Arena& arena, size_t size_hint = 0);

    JsonWriter& field(std::string_view key, std::string_view value);
    JsonWriter& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
    JsonWriter& field(std::string_view key, int64_t value);
    JsonWriter& field(std::string_view key, bool value);
    JsonWriter& field(std::string_view key, double value); // a non-finite value is written as 0
    // Only when not empty: optional fields stay out of the record.
    JsonWriter& field_if(std::string_view key, std::string_view value);

    // A nested array of objects: begin_array, then begin_object / fields /
    // end_object per element, then end_array.
    JsonWriter& begin_array(std::string_view key);
    JsonWriter& end_array();
    JsonWriter& begin_object();
    JsonWriter& end_object();

    // Closes the top-level object; the text lives in the arena.
    std::string_view finish();

private:
    void key(std::string_view key);
    void separator();
    void string(std::string_view s);

    std::pmr::string* m_out;
    std::array<bool, 8> m_first{}; // per nesting level: nothing written yet
    size_t m_depth = 0;
};

} // namespace ik::store::internal
