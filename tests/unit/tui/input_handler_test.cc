#include <gtest/gtest.h>

#include "support/matchers.h"
#include "tui/input_handler.h"

using namespace ik::tui;
using ik::testing::IsOk;
using Kind = InputAction::Kind;

namespace {

// Drives the handler with raw terminal bytes, as the REPL will.
class Harness {
public:
    Harness()
        : handler(editor, history)
    {
    }

    std::vector<InputAction> type(std::string_view bytes)
    {
        std::vector<KeyEvent> events;
        decoder.feed(bytes, events);
        decoder.flush_pending(events);
        std::vector<InputAction> actions;
        for (const auto& e : events)
            actions.push_back(handler.handle(e));
        return actions;
    }
    InputAction last(std::string_view bytes)
    {
        auto all = type(bytes);
        return all.empty() ? InputAction{} : all.back();
    }

    Editor editor;
    History history;
    KeyDecoder decoder;
    InputHandler handler;
};

} // namespace

TEST(InputHandler, EnterSubmitsAddsToHistoryAndClears)
{
    Harness h;
    EXPECT_EQ(h.last("\r").kind, Kind::none); // nothing to submit
    auto a = h.last("hello 😀\r");
    EXPECT_EQ(a.kind, Kind::submit);
    EXPECT_EQ(a.text, "hello 😀");
    EXPECT_FALSE(a.warning.has_value());
    EXPECT_TRUE(h.editor.empty());
    ASSERT_EQ(h.history.size(), 1u);
    EXPECT_EQ(h.history.at(0), "hello 😀");
}

TEST(InputHandler, CtrlJAndAltEnterInsertNewlines)
{
    Harness h;
    h.type("a\nb\x1b\rc\x1b[13;2ud");
    EXPECT_EQ(h.editor.text(), "a\nb\nc\nd");
}

TEST(InputHandler, ReadlineKeys)
{
    Harness h;
    h.type("world\x01hello \x05!"); // Ctrl-A, Ctrl-E
    EXPECT_EQ(h.editor.text(), "hello world!");
    h.type("\x02\x02\x0b"); // Ctrl-B twice, Ctrl-K
    EXPECT_EQ(h.editor.text(), "hello worl");
    h.type("\x19"); // Ctrl-Y
    EXPECT_EQ(h.editor.text(), "hello world!");
    h.type("\x1b"
           "b\x15"); // Alt-B, Ctrl-U
    EXPECT_EQ(h.editor.text(), "world!");
    h.type("\x1b[1;5C\x17"); // Ctrl-Right, Ctrl-W
    EXPECT_EQ(h.editor.text(), "!");
    h.type("\x1b[H\x1b[3~"); // Home, Delete
    EXPECT_TRUE(h.editor.empty());
    h.type("日本\x7f\x08x\x1b[D\x06y"); // Backspace (DEL and ^H), Left, Ctrl-F
    EXPECT_EQ(h.editor.text(), "xy");
    h.type("\x1b[1;3D\x1b[F"); // Alt-Left then End
    EXPECT_EQ(h.editor.cursor().value, 2u);
}

TEST(InputHandler, ActionsForTheRepl)
{
    Harness h;
    EXPECT_EQ(h.last("\x04").kind, Kind::eof); // Ctrl-D on empty
    h.type("ab\x01");
    EXPECT_EQ(h.last("\x04").kind, Kind::none); // Ctrl-D deletes forward
    EXPECT_EQ(h.editor.text(), "b");
    EXPECT_EQ(h.last("\x03").kind, Kind::cancel);
    EXPECT_EQ(h.editor.text(), "b"); // clearing is the REPL's decision
    EXPECT_EQ(h.last("\x0c").kind, Kind::redraw);
    EXPECT_EQ(h.last("\x1a").kind, Kind::suspend);
    auto up = h.last("\x1b[5~");
    EXPECT_EQ(up.kind, Kind::scroll);
    EXPECT_EQ(up.scroll, ScrollKind::page_up);
    EXPECT_EQ(h.last("\x1b[6~").scroll, ScrollKind::page_down);
    auto wheel = h.last("\x1b[<65;3;3M");
    EXPECT_EQ(wheel.scroll, ScrollKind::lines_down);
    EXPECT_EQ(wheel.lines, InputHandler::wheel_lines);
    EXPECT_EQ(h.last("\x1b[<64;3;3M").scroll, ScrollKind::lines_up);
    EXPECT_EQ(h.last("\x1b[1;5H").scroll, ScrollKind::top);
    EXPECT_EQ(h.last("\x1b[1;5F").scroll, ScrollKind::bottom);
    EXPECT_EQ(h.last("\x1bOP").kind, Kind::none); // F1 ignored
    EXPECT_EQ(h.editor.text(), "b");
}

TEST(InputHandler, UpDownMoveInMultiLineThenThroughHistory)
{
    Harness h;
    ASSERT_THAT(h.history.add("old one"), IsOk());
    ASSERT_THAT(h.history.add("old\ntwo"), IsOk());
    h.type("draft\nline");
    h.type("\x1b[A"); // to the first line of the draft
    EXPECT_EQ(h.editor.text(), "draft\nline");
    EXPECT_EQ(h.editor.cursor().value, 4u);
    h.type("\x1b[A"); // at the first line: history
    EXPECT_EQ(h.editor.text(), "old\ntwo");
    h.type("\x1b[A"); // cursor is at the end: up within the entry
    EXPECT_EQ(h.editor.text(), "old\ntwo");
    h.type("\x10"); // Ctrl-P always goes to history
    EXPECT_EQ(h.editor.text(), "old one");
    h.type("\x0e\x0e"); // Ctrl-N twice: back to the draft
    EXPECT_EQ(h.editor.text(), "draft\nline");
}

TEST(InputHandler, ReverseSearchAcceptAndCancel)
{
    Harness h;
    for (auto e : { "git status", "make", "git push" })
        ASSERT_THAT(h.history.add(e), IsOk());
    h.type("typed");
    h.type("\x12git");
    EXPECT_TRUE(h.handler.searching());
    EXPECT_EQ(h.handler.search_prompt(), "(reverse-i-search)`git': git push");
    h.type("\x12");
    EXPECT_EQ(h.handler.search_prompt(), "(reverse-i-search)`git': git status");
    EXPECT_EQ(h.last("\r").kind, Kind::none); // Enter accepts into the editor
    EXPECT_FALSE(h.handler.searching());
    EXPECT_EQ(h.editor.text(), "git status");

    h.editor.set_text("mine");
    h.editor.set_cursor(ik::utf8::Bytes(2));
    h.type("\x12mak");
    EXPECT_EQ(h.handler.search_prompt(), "(reverse-i-search)`mak': make");
    h.type("\x07"); // Ctrl-G cancels
    EXPECT_EQ(h.editor.text(), "mine");
    EXPECT_EQ(h.editor.cursor().value, 2u);
    h.type("\x12push\x1b"); // a lone Esc (flushed) cancels
    EXPECT_FALSE(h.handler.searching());
    EXPECT_EQ(h.editor.text(), "mine");
    h.type("\x12push\x05"); // a motion key accepts, then moves
    EXPECT_EQ(h.editor.text(), "git push");
    EXPECT_EQ(h.last("\r").text, "git push");
}

TEST(InputHandler, MegabytePasteIsOneEventAndOneInsert)
{
    Harness h;
    std::string body;
    while (body.size() < (1u << 20))
        body += "let x = \"日本\"; // 😀\r";
    std::string bytes = "\x1b[200~" + body + "\x1b[201~";
    std::vector<KeyEvent> events;
    for (size_t at = 0; at < bytes.size(); at += 65536)
        h.decoder.feed(std::string_view(bytes).substr(at, 65536), events);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(h.handler.handle(events[0]).kind, Kind::none);
    EXPECT_EQ(h.editor.text().size(), body.size());
    EXPECT_EQ(h.editor.text().find('\r'), std::string::npos);
    EXPECT_FALSE(h.editor.on_first_line());
    auto l = h.editor.layout(ik::utf8::Columns(80));
    EXPECT_GT(l.rows.size(), 1000u);
    EXPECT_EQ(l.cursor_row, l.rows.size() - 1);
}
