// UTF-8 text measured the way a terminal shows it.
//
// Three units never mix (Kakoune's rule): bytes index storage, graphemes are
// what a cursor steps over, columns are what a terminal cell grid shows.
// Widths come from utf8proc (Unicode's East Asian Width and emoji data): CJK
// and emoji are two columns, combining marks zero, control characters zero.
// Invalid UTF-8 is shown byte by byte as one column each (a replacement
// glyph), so a bad byte never desynchronises the cursor.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ik::utf8 {

// Strong unit types: arithmetic within a unit, explicit conversion out.
template <typename Tag> struct Count {
    size_t value = 0;
    constexpr Count() = default;
    constexpr explicit Count(size_t v)
        : value(v)
    {
    }
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 false positive on the 0 of a defaulted <=>
    constexpr auto operator<=>(const Count&) const = default;
    constexpr Count operator+(Count o) const { return Count(value + o.value); }
    constexpr Count operator-(Count o) const { return Count(value - o.value); }
    constexpr Count& operator+=(Count o)
    {
        value += o.value;
        return *this;
    }
    constexpr Count& operator-=(Count o)
    {
        value -= o.value;
        return *this;
    }
};
using Bytes = Count<struct BytesTag>;
using Columns = Count<struct ColumnsTag>;

// The byte length of the grapheme cluster starting at `offset` (at least 1
// byte while offset < text.size(); 0 at the end).
Bytes next_grapheme(std::string_view text, Bytes offset);
// The byte offset of the grapheme cluster that ends at `offset`.
Bytes previous_grapheme(std::string_view text, Bytes offset);
// Display width of one grapheme cluster.
Columns grapheme_width(std::string_view grapheme);
// Display width of a whole string (no newlines; tabs count as one column,
// callers expand tabs first).
Columns display_width(std::string_view text);
// The longest prefix of `text` that fits in `width` columns, whole graphemes only.
Bytes prefix_fitting(std::string_view text, Columns width);
// True when `text` is valid UTF-8.
bool is_valid(std::string_view text);
// `text` with every invalid byte sequence replaced by U+FFFD (one per
// invalid byte); `replaced` counts them.
// Text from outside (a prompt, AGENTS.md, --system) goes through this before
// it is stored or sent: providers reject request bodies that are not UTF-8.
std::string repaired(std::string_view text, size_t* replaced = nullptr);

} // namespace ik::utf8
