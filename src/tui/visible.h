// Outside text shown on a terminal visibly, never raw.
//
// Text from a model, a tool or a file can carry bytes a terminal obeys: an
// OSC 52 sequence writes the clipboard, CSI 2J clears the screen, a lone CR
// overwrites the line. Outside the full-screen UI (which replaces them with
// U+FFFD, styled_text.h), ik prints such text only through this module, which
// shows each control as what it is:
//
//   ESC                      ␛ (U+241B), so OSC 52 reads "␛]52;c;…"
//   other C0 controls, DEL   caret notation: ^@ ^A … ^_ and ^?; BEL is ^G
//   CR                       ^M, except in CR LF (a line ending)
//   C1 controls U+0080–9F    ␛ and their 7-bit twin: U+009B (CSI) is "␛["
//   invalid UTF-8            U+FFFD per byte (a raw 0x9B byte included)
//   LF, TAB, the rest        unchanged
//
// A terminal gets this rendering; a pipe or a file gets the exact bytes
// (Rendering::exact), because a script must see what the model wrote.
// stderr lines that quote outside text are always rendered visibly: stderr
// is read by a person, and a log of it is read later on a terminal.
//
//   std::string line;
//   tui::append_visible(line, model_text);   // "␛]52;c;ZXZpbA==^G"
//
// Appending never allocates beyond `out` growing. VisibleStream keeps the
// few bytes of a character or CR LF split between two streamed pieces.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace ik::tui {

enum class Rendering : uint8_t {
    exact, // the bytes as they are (a pipe, a file)
    visible, // controls shown as text (a terminal)
};

// visible when `file` is a terminal, exact otherwise.
Rendering rendering_for(std::FILE* file);

// Appends `text` to `out` with controls and invalid UTF-8 made visible.
void append_visible(std::string& out, std::string_view text);

// Text arriving in pieces (a reply's deltas): a piece may end inside a UTF-8
// character or between CR and LF; those bytes (at most 3) wait for the next.
class VisibleStream {
public:
    void append(std::string& out, std::string_view piece);
    // The stream ended: what still waits is shown as it is (U+FFFD, ^M).
    void finish(std::string& out);

private:
    std::array<char, 4> m_held{};
    size_t m_held_size = 0;
};

// Formatted output to one stream in one rendering: for commands whose whole
// output quotes stored text (`ik sessions show`). Owns its two buffers
// (reused); borrows the stream.
class TextWriter {
public:
    TextWriter(std::FILE* file, Rendering rendering)
        : m_file(file)
        , m_rendering(rendering)
    {
    }

    template <typename... Args> void print(fmt::format_string<Args...> format, Args&&... args)
    {
        m_formatted.clear();
        fmt::format_to(std::back_inserter(m_formatted), format, std::forward<Args>(args)...);
        write(m_formatted);
    }
    void write(std::string_view text);

private:
    std::FILE* m_file;
    Rendering m_rendering;
    std::string m_formatted;
    std::string m_visible;
};

// One formatted line to `file`, made visible: for stderr lines that quote a
// tool's arguments, an error from a provider, a notice.
template <typename... Args> void print_visible(std::FILE* file, fmt::format_string<Args...> format, Args&&... args)
{
    TextWriter(file, Rendering::visible).print(format, std::forward<Args>(args)...);
}

} // namespace ik::tui
