// Pastes — a long paste (or an image file's path) stands in the input as one short placeholder,
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
#include <filesystem>
#include <optional>
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
    // A paste that is the path of one image file (known by its first bytes,
    // not its name; `~/` and `file://` accepted, relative to `cwd`): held as
    // "[image shot.png 120 KB #2]", which stands for `@path` and so attaches
    // the image like a typed mention, under the same rules (agent/mentions.h:
    // inside the project only). nullopt for any other paste, which is then
    // handled as text.
    std::optional<std::string> hold_image(std::string_view pasted, const std::filesystem::path& cwd);
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
