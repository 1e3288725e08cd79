// Terminal input bytes -> key events.
//
// A terminal sends keys as a byte stream: UTF-8 text, C0 control bytes for
// Ctrl-<letter>, ESC-prefixed bytes for Alt-<key>, CSI/SS3 sequences for
// arrows and friends, SGR mouse reports, and bracketed paste wrapped in
// CSI 200~ ... CSI 201~. Reads cut this stream anywhere, so KeyDecoder keeps
// the unfinished tail (a partial sequence or a partial UTF-8 character) and
// resumes with the next chunk. A paste is collected into one buffer that
// grows by appending, so a megabyte pasted over hundreds of reads is copied
// a constant number of times and delivered as ONE event.
//
// A lone ESC is ambiguous (Escape key or the start of a sequence); the caller
// resolves it: when pending() is true after a feed, wait escape_timeout and
// call flush_pending() (or call expire() with the current time).
// Unknown or malformed sequences are swallowed whole; they never become text.
//
// Owns: the pending tail and the paste being collected (std::string).
// Events own their text (moved out of the decoder for pastes).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ik::tui {

enum class Key : uint8_t {
    Text, // printable text in `text` (one or more graphemes)
    Char, // a key with Ctrl and/or Alt: `ch` ('a'..'z' lower-cased, or the ASCII char)
    Enter,
    Tab,
    BackTab, // Shift-Tab
    Backspace,
    Delete,
    Insert,
    Escape,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Function, // F<number>; callers ignore these
    Paste, // bracketed paste, the whole of it in `text`
    WheelUp,
    WheelDown,
    MousePress, // button in `number` (0 left, 1 middle, 2 right), cell in x/y
    MouseRelease,
};

// Modifier bits, xterm's encoding minus one.
enum Mod : uint8_t {
    mod_none = 0,
    mod_shift = 1,
    mod_alt = 2,
    mod_ctrl = 4,
};

struct KeyEvent {
    Key key = Key::Text;
    uint8_t mods = mod_none;
    char32_t ch = 0; // Key::Char
    int number = 0; // Key::Function number, mouse button
    int x = 0; // mouse cell, 1-based
    int y = 0;
    std::string text; // Key::Text, Key::Paste
    size_t dropped = 0; // Key::Paste: bytes cut off past KeyDecoder::max_paste

    bool has(Mod m) const { return (mods & m) != 0; }
    bool is_char(char32_t c, uint8_t m) const { return key == Key::Char && ch == c && mods == m; }
};

class KeyDecoder {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds escape_timeout{ 25 };
    // A bracketed paste keeps at most this much (a paste is outside input
    // like any other); the rest is counted in KeyEvent::dropped, not held.
    static constexpr size_t max_paste = size_t{ 8 } << 20;

    // Decodes `bytes`, appending complete events to `out`. `now` dates a
    // pending tail for expire(); pass Clock::now() (the default) in real use.
    void feed(std::string_view bytes, std::vector<KeyEvent>& out, Clock::time_point now = Clock::now());
    // True when an unfinished tail waits for more bytes (lone ESC, partial
    // sequence or character). A paste in progress is not "pending": it ends
    // only with its terminator.
    bool pending() const { return !m_pending.empty() && !m_in_paste; }
    // Resolves the tail now: a lone ESC is Escape, ESC + '[' or 'O' is Alt-[ /
    // Alt-O, a partial sequence is dropped, a partial character becomes text.
    void flush_pending(std::vector<KeyEvent>& out);
    // flush_pending() if the tail is older than escape_timeout at `now`.
    void expire(Clock::time_point now, std::vector<KeyEvent>& out);
    // True while inside a bracketed paste.
    bool in_paste() const { return m_in_paste; }

private:
    size_t decode(std::string_view data, std::vector<KeyEvent>& out);
    size_t decode_escape(std::string_view s, std::vector<KeyEvent>& out, bool& paste_start);
    size_t feed_paste(std::string_view data, std::vector<KeyEvent>& out);
    void keep_paste(std::string_view data);

    std::string m_pending; // unconsumed tail, at most one sequence long
    std::string m_paste; // paste collected so far, at most max_paste
    std::string m_paste_tail; // the paste's last bytes, where a terminator may start
    size_t m_paste_dropped = 0; // bytes past max_paste
    bool m_in_paste = false;
    Clock::time_point m_pending_since{};
};

} // namespace ik::tui
