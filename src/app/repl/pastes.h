// Pastes — a long paste stands in the input as one short placeholder,
// "[pasted 3,000 lines #1]", so the input stays readable and editable around
// it; the text sent (and stored) has the paste in its place. The transcript
// shows the prompt as typed, placeholder included. Ctrl-O puts the pasted
// text itself back into the input.
//
// Placeholder numbers grow for the whole REPL, so one recalled from the
// history never picks up a later paste; pastes are forgotten when their
// prompt is sent.
//
// Owns: the held pastes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ik::app {

class Pastes {
public:
    static constexpr size_t min_lines = 20; // a paste this long (or min_bytes) is held
    static constexpr size_t min_bytes = 4096;

    // CR LF and CR made LF, as the editor makes a paste (terminals and tmux
    // send line ends as CR).
    static std::string normalized(std::string_view text);
    static bool large(std::string_view text); // of normalized text
    // Keeps `text`; returns its placeholder.
    std::string hold(std::string text);
    // `text` with every placeholder held here replaced by its paste.
    std::string expand(std::string_view text) const;
    bool empty() const { return m_held.empty(); }
    void clear() { m_held.clear(); }

private:
    struct Held {
        std::string placeholder;
        std::string text;
    };
    std::vector<Held> m_held;
    size_t m_next = 1;
};

} // namespace ik::app
