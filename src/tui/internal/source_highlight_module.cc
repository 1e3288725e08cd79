// GNU Source-highlight behind the C interface of highlight_module.h: the one
// file that includes the library's headers, built as its own shared module
// (ik_highlight.so) so that ik loads the library, with Boost.Regex and ICU,
// only when the first code block needs it (tui/code_highlight.cc).
//
// The library drives formatters: for each token of a line it calls the
// formatter registered for the token's element name ("keyword", "string",
// "comment", ...). Each of ours emits a run (offsets and element number) at
// the token's place in the block; elements ik does not style (the default
// formatter) only advance.
// A language's compiled rules come from its .lang file through the library's
// LangDefManager and are kept per language; a SourceHighlighter per block
// carries the state across lines (a comment that spans lines). Any exception
// the library throws (a missing or malformed .lang file) leaves the block
// plain, and the language is remembered as failed so it is not retried.
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <utility>

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

#include "tui/internal/highlight_module.h"

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

// The element number of each element source-highlight names that ik styles
// (tui/code_highlight.cc); the others are plain.
const std::pair<std::string_view, uint32_t> element_ids[] = {
    { "keyword", IK_HL_KEYWORD },
    { "type", IK_HL_TYPE },
    { "classname", IK_HL_TYPE },
    { "usertype", IK_HL_TYPE },
    { "string", IK_HL_STRING },
    { "regexp", IK_HL_STRING },
    { "specialchar", IK_HL_SPECIALCHAR },
    { "comment", IK_HL_COMMENT },
    { "todo", IK_HL_TODO },
    { "number", IK_HL_NUMBER },
    { "preproc", IK_HL_PREPROC },
    { "function", IK_HL_FUNCTION },
    { "label", IK_HL_FUNCTION },
    { "variable", IK_HL_VARIABLE },
    // diff.lang
    { "oldfile", IK_HL_OLDFILE },
    { "newfile", IK_HL_NEWFILE },
    { "difflines", IK_HL_DIFFLINES },
};

// Where the formatters write: the block, the line being highlighted and the
// cursor in it, and the runs so far.
struct Sink {
    std::string_view line;
    size_t line_offset = 0; // of `line` in the block
    size_t cursor = 0; // in `line`, after the last token
    bool lost = false; // a token not found where expected: give up on the block
    ik_hl_emit_fn emit = nullptr;
    void* emit_ctx = nullptr;

    void token(std::string_view text, uint32_t element)
    {
        if (text.empty() || lost)
            return;
        size_t at = line.find(text, cursor);
        if (at == std::string_view::npos) {
            lost = true;
            return;
        }
        cursor = at + text.size();
        if (element)
            emit(emit_ctx, static_cast<uint32_t>(line_offset + at), static_cast<uint32_t>(line_offset + cursor),
                element);
    }
};

class RunFormatter final : public srchilite::Formatter {
public:
    RunFormatter(Sink& sink, uint32_t element)
        : m_sink(sink)
        , m_element(element)
    {
    }
    void format(const std::string& s, const srchilite::FormatterParams* /*params*/) override
    {
        m_sink.token(s, m_element);
    }

private:
    Sink& m_sink;
    uint32_t m_element; // 0: plain text, only moves the cursor
};

class SourceHighlight {
public:
    SourceHighlight(ik_hl_note_fn note_fn, void* note_ctx)
        : m_note(note_fn)
        , m_note_ctx(note_ctx)
        , m_formatters(boost::make_shared<RunFormatter>(m_sink, 0))
    {
        for (const auto& [name, element] : element_ids)
            m_formatters.addFormatter(std::string(name), boost::make_shared<RunFormatter>(m_sink, element));
    }

    bool highlight(std::string_view lang, std::string_view code, ik_hl_emit_fn emit, void* emit_ctx)
    {
        srchilite::HighlightStatePtr state = language(lang);
        if (!state)
            return false;
        try {
            srchilite::SourceHighlighter highlighter(state);
            highlighter.setFormatterManager(&m_formatters);
            highlighter.setOptimize(false);
            srchilite::FormatterParams params;
            highlighter.setFormatterParams(&params);
            m_sink
                = Sink{ .line = {}, .line_offset = 0, .cursor = 0, .lost = false, .emit = emit, .emit_ctx = emit_ctx };
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
                    return false;
                }
                start = end + 1;
            }
        } catch (const std::exception& e) {
            note(lang, e.what());
            return false;
        } catch (...) {
            note(lang, "the library failed");
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
        if (!m_note)
            return;
        std::string text = std::string("highlighting '") + std::string(lang) + "' left plain: " + std::string(why);
        m_note(m_note_ctx, text.data(), text.size());
    }

    ik_hl_note_fn m_note;
    void* m_note_ctx;
    Sink m_sink;
    srchilite::FormatterManager m_formatters;
    std::map<std::string, srchilite::HighlightStatePtr, std::less<>> m_languages;
};

void* create(ik_hl_note_fn note, void* note_ctx)
{
    try {
        return new SourceHighlight(note, note_ctx);
    } catch (...) {
        return nullptr;
    }
}

void destroy(void* highlighter)
{
    delete static_cast<SourceHighlight*>(highlighter);
}

int highlight(void* highlighter, const char* lang, size_t lang_len, const char* code, size_t code_len,
    ik_hl_emit_fn emit, void* emit_ctx)
{
    try {
        return static_cast<SourceHighlight*>(highlighter)
                   ->highlight(std::string_view(lang, lang_len), std::string_view(code, code_len), emit, emit_ctx)
            ? 1
            : 0;
    } catch (...) {
        return 0;
    }
}

const ik_highlight_v1_api api = { sizeof(ik_highlight_v1_api), create, destroy, highlight };

} // namespace
} // namespace ik::tui

// The module's one exported symbol (the rest is hidden: CXX_VISIBILITY_PRESET).
extern "C" __attribute__((visibility("default"))) const ik_highlight_v1_api* ik_highlight_v1(void)
{
    return &ik::tui::api;
}
