// GNU Source-highlight behind tui::CodeHighlighter (code_highlight.h): the one
// file that includes the library's headers.
//
// The library drives formatters: for each token of a line it calls the
// formatter registered for the token's element name ("keyword", "string",
// "comment", ...). Each of ours appends a styled run at the token's place in
// the block; elements without a style (the default formatter) only advance.
// A language's compiled rules come from its .lang file through the library's
// LangDefManager and are kept per language; a SourceHighlighter per block
// carries the state across lines (a comment that spans lines). Any exception
// the library throws (a missing or malformed .lang file) leaves the block
// plain, and the language is remembered as failed so it is not retried.
#include <exception>
#include <map>
#include <string>

#include <boost/make_shared.hpp>
#include <boost/shared_ptr.hpp>
#include <srchilite/formatter.h>
#include <srchilite/formattermanager.h>
#include <srchilite/formatterparams.h>
#include <srchilite/instances.h>
#include <srchilite/langdefmanager.h>
#include <srchilite/langmap.h>
#include <srchilite/settings.h>
#include <srchilite/sourcehighlighter.h>

#include "tui/code_highlight.h"

namespace ik::tui {
namespace {

// The names models put after a fence that lang.map does not know.
std::string_view alias(std::string_view lang)
{
    static constexpr std::pair<std::string_view, std::string_view> aliases[] = {
        { "c++", "cpp" },
        { "cxx", "cpp" },
        { "hpp", "cpp" },
        { "rust", "rs" },
        { "golang", "go" },
        { "ts", "javascript" },
        { "typescript", "javascript" },
        { "jsx", "javascript" },
        { "tsx", "javascript" },
        { "console", "sh" },
        { "shell-session", "sh" },
        { "bash", "sh" },
        { "patch", "diff" },
        { "jsonc", "json" },
        { "py3", "python" },
        { "python3", "python" },
    };
    for (const auto& [from, to] : aliases)
        if (lang == from)
            return to;
    return lang;
}

// The terminal style of each element source-highlight names; the others are plain.
const std::map<std::string, Style, std::less<>>& element_styles()
{
    static const std::map<std::string, Style, std::less<>> styles = {
        { "keyword", Style{}.with(attr_bold).with_fg(color::magenta) },
        { "type", Style{}.with_fg(color::cyan) },
        { "classname", Style{}.with_fg(color::cyan) },
        { "usertype", Style{}.with_fg(color::cyan) },
        { "string", Style{}.with_fg(color::green) },
        { "regexp", Style{}.with_fg(color::green) },
        { "specialchar", Style{}.with_fg(color::yellow) },
        { "comment", Style{}.with(attr_dim | attr_italic) },
        { "todo", Style{}.with(attr_bold | attr_italic) },
        { "number", Style{}.with_fg(color::yellow) },
        { "preproc", Style{}.with_fg(color::magenta) },
        { "function", Style{}.with_fg(color::blue) },
        { "label", Style{}.with_fg(color::blue) },
        { "variable", Style{}.with_fg(color::blue) },
        // diff.lang
        { "oldfile", Style{}.with_fg(color::red) },
        { "newfile", Style{}.with_fg(color::green) },
        { "difflines", Style{}.with_fg(color::cyan) },
    };
    return styles;
}

// Where the formatters write: the block, the line being highlighted and the
// cursor in it, and the runs so far.
struct Sink {
    std::string_view line;
    size_t line_offset = 0; // of `line` in the block
    size_t cursor = 0; // in `line`, after the last token
    bool lost = false; // a token not found where expected: give up on the block
    std::vector<Span>* out = nullptr;

    void token(std::string_view text, const Style* style)
    {
        if (text.empty() || lost)
            return;
        size_t at = line.find(text, cursor);
        if (at == std::string_view::npos) {
            lost = true;
            return;
        }
        cursor = at + text.size();
        if (style)
            out->push_back(
                Span{ static_cast<uint32_t>(line_offset + at), static_cast<uint32_t>(line_offset + cursor), *style });
    }
};

class RunFormatter final : public srchilite::Formatter {
public:
    RunFormatter(Sink& sink, const Style* style)
        : m_sink(sink)
        , m_style(style)
    {
    }
    void format(const std::string& s, const srchilite::FormatterParams* /*params*/) override
    {
        m_sink.token(s, m_style);
    }

private:
    Sink& m_sink;
    const Style* m_style; // null: plain text, only moves the cursor
};

class SourceHighlight final : public CodeHighlighter {
public:
    explicit SourceHighlight(HighlightDebug debug)
        : m_debug(std::move(debug))
        , m_formatters(boost::make_shared<RunFormatter>(m_sink, nullptr))
    {
        for (const auto& [name, style] : element_styles())
            m_formatters.addFormatter(name, boost::make_shared<RunFormatter>(m_sink, &style));
    }

    bool highlight(std::string_view lang, std::string_view code, std::vector<Span>& out) override
    {
        out.clear();
        srchilite::HighlightStatePtr state = language(lang);
        if (!state)
            return false;
        try {
            srchilite::SourceHighlighter highlighter(state);
            highlighter.setFormatterManager(&m_formatters);
            highlighter.setOptimize(false);
            srchilite::FormatterParams params;
            highlighter.setFormatterParams(&params);
            m_sink = Sink{ .line = {}, .line_offset = 0, .cursor = 0, .lost = false, .out = &out };
            size_t start = 0;
            while (start < code.size()) {
                size_t nl = code.find('\n', start);
                size_t end = nl == std::string_view::npos ? code.size() : nl;
                m_sink.line = code.substr(start, end - start);
                m_sink.line_offset = start;
                m_sink.cursor = 0;
                params.start = 0;
                highlighter.highlightParagraph(std::string(m_sink.line));
                if (m_sink.lost) {
                    note(lang, "its tokens did not match the text");
                    out.clear();
                    return false;
                }
                start = end + 1;
            }
        } catch (const std::exception& e) {
            note(lang, e.what());
            out.clear();
            return false;
        } catch (...) {
            note(lang, "the library failed");
            out.clear();
            return false;
        }
        return true;
    }

private:
    // The compiled rules of `lang`, null when there are none (remembered).
    srchilite::HighlightStatePtr language(std::string_view fence_lang)
    {
        std::string lang(alias(fence_lang));
        if (auto it = m_languages.find(lang); it != m_languages.end())
            return it->second;
        srchilite::HighlightStatePtr state;
        try {
            srchilite::LangMap* map = srchilite::Instances::getLangMap();
            map->open();
            std::string file = map->getMappedFileName(lang);
            if (file.empty())
                note(fence_lang, "no language file in lang.map");
            else
                state = srchilite::Instances::getLangDefManager()->getHighlightState(
                    srchilite::Settings::retrieveDataDir(), file);
        } catch (const std::exception& e) {
            note(fence_lang, e.what());
        } catch (...) {
            note(fence_lang, "the library failed");
        }
        m_languages.emplace(std::move(lang), state);
        return state;
    }

    void note(std::string_view lang, std::string_view why)
    {
        if (m_debug)
            m_debug(std::string("highlighting '") + std::string(lang) + "' left plain: " + std::string(why));
    }

    HighlightDebug m_debug;
    Sink m_sink;
    srchilite::FormatterManager m_formatters;
    std::map<std::string, srchilite::HighlightStatePtr, std::less<>> m_languages;
};

} // namespace

std::unique_ptr<CodeHighlighter> make_source_highlighter(HighlightDebug debug)
{
    return std::make_unique<SourceHighlight>(std::move(debug));
}

} // namespace ik::tui
