#include "tui/keys.h"

#include <algorithm>

#include "tui/internal/key_sequences.h"

namespace ik::tui {
namespace {

using namespace internal;

constexpr char esc = '\x1b';
constexpr std::string_view paste_end = "\x1b[201~";
// An OSC/DCS string (terminal replies) is dropped past this size.
constexpr size_t max_string_sequence = 4096;

} // namespace

void KeyDecoder::feed(std::string_view bytes, std::vector<KeyEvent>& out, Clock::time_point now)
{
    std::string joined;
    std::string_view data = bytes;
    if (!m_pending.empty()) {
        joined = std::move(m_pending);
        m_pending.clear();
        joined.append(bytes);
        data = joined;
    }
    while (!data.empty()) {
        bool was_paste = m_in_paste;
        size_t used = was_paste ? feed_paste(data, out) : decode(data, out);
        data.remove_prefix(used);
        if (!was_paste && !m_in_paste && !data.empty()) {
            m_pending.assign(data);
            m_pending_since = now;
            break;
        }
    }
}

void KeyDecoder::keep_paste(std::string_view data)
{
    size_t room = max_paste - m_paste.size();
    size_t kept = std::min(room, data.size());
    m_paste.append(data.substr(0, kept));
    m_paste_dropped += data.size() - kept;
    m_paste_tail.append(data.substr(data.size() - std::min(data.size(), paste_end.size())));
    if (m_paste_tail.size() > paste_end.size() - 1)
        m_paste_tail.erase(0, m_paste_tail.size() - (paste_end.size() - 1));
}

size_t KeyDecoder::feed_paste(std::string_view data, std::vector<KeyEvent>& out)
{
    size_t consumed = 0;
    // The terminator may straddle the previous chunk: its start is then in
    // the tail, and those bytes were taken as content (or counted dropped).
    std::string probe = m_paste_tail;
    probe.append(data.substr(0, paste_end.size() - 1));
    size_t at = probe.find(paste_end);
    if (at != std::string::npos && at < m_paste_tail.size()) {
        size_t taken = m_paste_tail.size() - at;
        size_t from_dropped = std::min(taken, m_paste_dropped);
        m_paste_dropped -= from_dropped;
        m_paste.resize(m_paste.size() - (taken - from_dropped));
        consumed = paste_end.size() - taken;
    } else if (at = data.find(paste_end); at != std::string_view::npos) {
        keep_paste(data.substr(0, at));
        consumed = at + paste_end.size();
    } else {
        keep_paste(data);
        return data.size();
    }
    KeyEvent e;
    e.key = Key::Paste;
    e.text = std::move(m_paste);
    e.dropped = m_paste_dropped;
    m_paste = std::string();
    m_paste_tail.clear();
    m_paste_dropped = 0;
    m_in_paste = false;
    out.push_back(std::move(e));
    return consumed;
}

// Decodes from the start of `data` until it ends, a paste begins, or an
// unfinished tail remains; returns the bytes consumed.
size_t KeyDecoder::decode(std::string_view data, std::vector<KeyEvent>& out)
{
    size_t i = 0;
    const size_t n = data.size();
    while (i < n) {
        auto c = static_cast<unsigned char>(data[i]);
        if (c == static_cast<unsigned char>(esc)) {
            bool paste_start = false;
            size_t used = decode_escape(data.substr(i), out, paste_start);
            if (used == 0)
                return i;
            i += used;
            if (paste_start) {
                m_in_paste = true;
                m_paste.clear();
                return i;
            }
            continue;
        }
        if (c < 0x20 || c == 0x7f) {
            out.push_back(control_event(c, mod_none));
            ++i;
            continue;
        }
        size_t start = i;
        while (i < n) {
            auto b = static_cast<unsigned char>(data[i]);
            if (b < 0x20 || b == 0x7f)
                break;
            ++i;
        }
        size_t end = i == n ? n - incomplete_utf8_tail(data.substr(start)) : i;
        if (end > start)
            push_text(out, data.substr(start, end - start));
        if (end < i)
            return end;
    }
    return n;
}

size_t KeyDecoder::decode_escape(std::string_view s, std::vector<KeyEvent>& out, bool& paste_start)
{
    if (s.size() < 2)
        return 0;
    auto c = static_cast<unsigned char>(s[1]);
    if (c == '[') {
        Csi csi;
        size_t used = parse_csi(s, csi);
        if (used == 0)
            return 0;
        if (csi.final == 'M' && csi.count == 0 && csi.prefix == 0) {
            // Legacy X10 mouse: three raw bytes follow. Swallowed.
            return s.size() >= used + 3 ? used + 3 : 0;
        }
        if (csi.final != 0)
            csi_event(csi, out, paste_start);
        return used;
    }
    if (c == 'O') {
        size_t j = 2;
        int mod = 0;
        for (; j < s.size() && s[j] >= '0' && s[j] <= '9'; ++j) // a hostile run of digits saturates
            mod = mod > 1000 ? mod : mod * 10 + (s[j] - '0');
        if (j >= s.size())
            return 0;
        letter_key(s[j], xterm_mods(mod), out);
        return j + 1;
    }
    if (c == ']' || c == 'P' || c == '_' || c == '^') {
        // OSC/DCS/APC/PM strings end with BEL or ESC backslash.
        for (size_t j = 2; j < s.size(); ++j) {
            if (s[j] == '\a')
                return j + 1;
            if (s[j] == esc && j + 1 < s.size() && s[j + 1] == '\\')
                return j + 2;
        }
        return s.size() > max_string_sequence ? s.size() : 0;
    }
    if (c == static_cast<unsigned char>(esc)) {
        out.push_back(key_event(Key::Escape));
        return 1;
    }
    if (c < 0x20 || c == 0x7f) {
        out.push_back(c == '\n' ? char_event('j', mod_ctrl | mod_alt) : control_event(c, mod_alt));
        return 2;
    }
    if (c < 0x80) {
        out.push_back(char_event(c, mod_alt));
        return 2;
    }
    // ESC before a non-ASCII character: Escape, then the character as text.
    out.push_back(key_event(Key::Escape));
    return 1;
}

void KeyDecoder::flush_pending(std::vector<KeyEvent>& out)
{
    if (!pending())
        return;
    const size_t size = m_pending.size();
    const char first = m_pending[0];
    const auto second = static_cast<unsigned char>(size > 1 ? m_pending[1] : 0);
    m_pending.clear();
    if (first != esc)
        return; // a partial character that never completed: invalid, dropped
    if (size == 1)
        out.push_back(key_event(Key::Escape));
    else if (size == 2 && second < 0x80 && second >= 0x20)
        out.push_back(char_event(second, mod_alt));
    // Longer unfinished sequences are dropped: never shown as text.
}

void KeyDecoder::expire(Clock::time_point now, std::vector<KeyEvent>& out)
{
    if (pending() && now - m_pending_since >= escape_timeout)
        flush_pending(out);
}

} // namespace ik::tui
