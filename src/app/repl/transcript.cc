#include "app/repl/transcript.h"

#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "core/loop.h"

namespace ik::app {
namespace {

tui::Style tone_style(Tone tone)
{
    switch (tone) {
    case Tone::normal:
        return {};
    case Tone::dim:
        return tui::Style{}.with(tui::attr_dim);
    case Tone::error:
        return tui::Style{}.with_fg(tui::color::red);
    }
    return {};
}

bool debugging()
{
    const char* flag = std::getenv("IK_DEBUG");
    return flag && *flag && std::string_view(flag) != "0";
}

} // namespace

Transcript::Transcript(mem::Arena& arena)
    : m_scrollback(std::make_unique<tui::Scrollback>(arena))
    , m_highlighter(std::make_unique<tui::HighlightCache>(tui::make_source_highlighter(debugging()
              ? tui::HighlightDebug([this](std::string_view why) { m_debug_notes.emplace_back(why); })
              : tui::HighlightDebug())))
    , m_reply(std::make_unique<tui::MarkdownStream>(*m_scrollback, tui::MarkdownTheme{}, m_highlighter.get()))
{
}

void Transcript::print_debug_notes()
{
    if (m_debug_notes.empty())
        return;
    for (const std::string& n : std::exchange(m_debug_notes, {}))
        print(n, Tone::dim);
}

void Transcript::print(std::string_view text, Tone tone)
{
    end_thinking();
    m_lines.clear();
    tui::Style style = tone_style(tone);
    size_t start = 0;
    while (true) {
        size_t nl = text.find('\n', start);
        m_lines.begin_line();
        m_lines.add(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start), style);
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    // Committed lines go above a streaming reply's open block.
    m_scrollback->append(m_lines);
}

void Transcript::user_prompt(std::string_view text)
{
    end_stream();
    m_lines.clear();
    m_lines.blank_line();
    tui::Style style = tui::Style{}.with(tui::attr_bold);
    size_t start = 0;
    bool first = true;
    while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        m_lines.begin_line();
        m_lines.add(first ? "› " : "  ", tui::Style{}.with_fg(tui::color::cyan));
        m_lines.add_prefix("  ");
        m_lines.add(line, style);
        first = false;
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    m_lines.blank_line();
    m_scrollback->append(m_lines);
}

void Transcript::reply_delta(std::string_view text)
{
    end_thinking();
    m_in_reply = true;
    m_reply->append(text);
    print_debug_notes();
}

void Transcript::thinking_delta(std::string_view text)
{
    if (!m_in_thinking) {
        end_reply();
        m_in_thinking = true;
        m_thinking_started = Loop::now();
    }
    m_thinking_bytes += text.size();
    if (m_thinking.size() < max_thinking_kept)
        m_thinking.append(text.substr(0, max_thinking_kept - m_thinking.size()));
}

void Transcript::reply(std::string_view text)
{
    end_stream();
    m_reply->append(text);
    m_reply->finish();
    m_reply->reset();
    print_debug_notes();
}

void Transcript::tool_block(const tui::ToolCallView& view)
{
    end_stream();
    m_lines.clear();
    tui::render_tool_call(m_lines, view);
    m_scrollback->append(m_lines);
}

void Transcript::end_stream()
{
    end_thinking();
    end_reply();
}

void Transcript::end_reply()
{
    if (!m_in_reply)
        return;
    m_in_reply = false;
    m_reply->finish();
    m_reply->reset();
    print_debug_notes();
}

void Transcript::end_thinking()
{
    if (!m_in_thinking)
        return;
    m_in_thinking = false;
    auto elapsed = std::chrono::duration<double>(Loop::now() - m_thinking_started).count();
    char count[16];
    tui::format_count(count, m_thinking_bytes);
    m_lines.clear();
    m_lines.begin_line();
    tui::Style style = tui::Style{}.with(tui::attr_dim | tui::attr_italic);
    m_lines.add(fmt::format("✻ Thought for {:.1f}s ({} chars)", elapsed, count), style);
    // The text, in the expanded view only; a marker standing for it in the collapsed one.
    std::string_view thinking = m_thinking;
    while (thinking.ends_with('\n'))
        thinking.remove_suffix(1);
    size_t lines = 0;
    size_t start = 0;
    while (!thinking.empty() && start <= thinking.size()) {
        size_t nl = thinking.find('\n', start);
        m_lines.begin_line();
        m_lines.set_fold(tui::Fold::expanded);
        m_lines.add("  ", style);
        m_lines.add_prefix("  ");
        m_lines.add(thinking.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start), style);
        ++lines;
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    if (m_thinking_bytes > m_thinking.size()) {
        m_lines.begin_line();
        m_lines.set_fold(tui::Fold::expanded);
        m_lines.add(fmt::format("  … {} more bytes not shown", m_thinking_bytes - m_thinking.size()), style);
    }
    if (lines > 0) {
        m_lines.begin_line();
        m_lines.set_fold(tui::Fold::collapsed);
        m_lines.add(
            fmt::format("  … {} line{} (Ctrl-O)", lines, lines == 1 ? "" : "s"), tui::Style{}.with(tui::attr_dim));
    }
    m_scrollback->append(m_lines);
    m_thinking_bytes = 0;
    m_thinking.clear();
}

void Transcript::clear()
{
    end_stream();
    m_scrollback->clear();
}

std::string Transcript::text() const
{
    std::string out;
    for (size_t i = 0; i < m_scrollback->line_count(); ++i) {
        out += m_scrollback->line(i).text;
        out += '\n';
    }
    return out;
}

} // namespace ik::app
