// Syntax highlighting of fenced code blocks: the interface the Markdown
// renderer calls, and the GNU Source-highlight implementation behind it.
//
// The renderer (markdown.h) asks once per finished block (its closing fence
// seen): highlight(lang, code) returns styled runs over `code`, or false to
// show the block plain (no language, an unknown one, any library failure).
// make_source_highlighter() is the only way in to the library: its headers
// are included by tui/internal/source_highlight_module.cc alone, which is
// built as a separate module, ik_highlight.so (C interface:
// tui/internal/highlight_module.h). ik does not link the library: the module
// is loaded with dlopen on the first highlight() call, so processes that never
// show a code block (ik --version, ik -p) do not pay for the library, Boost.Regex
// and ICU at start-up. When it is missing or fails to load every block stays
// plain (the debug callback hears why, once). HighlightCache
// keeps the last few results, so a finished block that is re-rendered while
// it sits in a streaming reply's live tail is highlighted once; once the
// block is committed its styled lines live in the scrollback's arena and are
// never highlighted again.
//
//   auto hl = tui::make_source_highlighter({});
//   std::vector<tui::Span> runs;
//   if (hl->highlight("cpp", "int x = 1;\n", runs)) ... // runs cover the code, by byte offsets
//
// Owns: the library's compiled languages (per language, on first use) and
// the cache's copies. Borrows nothing after construction. The loaded module
// stays loaded for the life of the process (one per path, shared).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tui/styled_text.h"

namespace ik::tui {

class CodeHighlighter {
public:
    virtual ~CodeHighlighter() = default;
    // Styled runs over `code` (byte offsets into it, in order, not
    // overlapping; bytes between runs are plain) into `out` (cleared first).
    // False: show the block plain.
    virtual bool highlight(std::string_view lang, std::string_view code, std::vector<Span>& out) = 0;
};

// Why a block was left plain, for IK_DEBUG ("no language file for 'foo'").
using HighlightDebug = std::function<void(std::string_view why)>;

// GNU Source-highlight (libsource-highlight), languages from its data
// directory (SOURCE_HIGHLIGHT_DATADIR, else the installed one). `debug`, when
// set, hears why a block stayed plain, once per language (or once, when the
// module cannot be loaded). The module is ik_highlight.so next to the running
// executable, else in ../lib/ik/ from it; `module_path` names the file
// instead (tests: the unit test binary lives elsewhere, and a missing path
// checks the plain fallback).
std::unique_ptr<CodeHighlighter> make_source_highlighter(HighlightDebug debug, std::string module_path = {});

// Remembers the last `capacity` blocks' runs (keyed by language and text).
class HighlightCache final : public CodeHighlighter {
public:
    static constexpr size_t capacity = 8;
    // Bigger blocks stay plain: highlighting costs ~45 µs a line of C++ (docs/perf.md), so 16 KiB
    // (~400 lines) is about one frame.
    static constexpr size_t max_code_bytes = size_t{ 16 } * 1024;

    explicit HighlightCache(std::unique_ptr<CodeHighlighter> inner)
        : m_inner(std::move(inner))
    {
    }
    bool highlight(std::string_view lang, std::string_view code, std::vector<Span>& out) override;
    // Calls to the inner highlighter so far (tests: once per block).
    size_t misses() const { return m_misses; }

private:
    struct Entry {
        std::string lang;
        std::string code;
        bool ok = false;
        std::vector<Span> runs;
    };
    std::unique_ptr<CodeHighlighter> m_inner;
    std::vector<Entry> m_entries; // newest last
    size_t m_misses = 0;
};

} // namespace ik::tui
