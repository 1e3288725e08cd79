#include "tui/input_handler.h"

namespace ik::tui {
namespace {

InputAction action(InputAction::Kind kind)
{
    InputAction a;
    a.kind = kind;
    return a;
}

InputAction scroll(ScrollKind kind, int lines = 0)
{
    InputAction a = action(InputAction::Kind::scroll);
    a.scroll = kind;
    a.lines = lines;
    return a;
}

bool word_mod(const KeyEvent& e)
{
    return e.has(mod_ctrl) || e.has(mod_alt);
}

} // namespace

InputAction InputHandler::handle(const KeyEvent& e)
{
    if (m_searching)
        return handle_search(e);
    Editor& ed = *m_editor;
    switch (e.key) {
    case Key::Text:
        ed.insert(e.text);
        break;
    case Key::Paste:
        ed.insert_paste(e.text);
        break;
    case Key::Enter:
        // Alt-Enter (and Shift-Enter where the terminal reports it) breaks the line.
        if (e.has(mod_alt) || e.has(mod_shift))
            ed.insert_newline();
        else
            return submit();
        break;
    case Key::Tab:
        ed.insert("\t");
        break;
    case Key::Backspace:
        if (word_mod(e))
            ed.kill_previous_word();
        else
            ed.delete_backward();
        break;
    case Key::Delete:
        ed.delete_forward();
        break;
    case Key::Left:
        if (word_mod(e))
            ed.move_word_left();
        else
            ed.move_left();
        break;
    case Key::Right:
        if (word_mod(e))
            ed.move_word_right();
        else
            ed.move_right();
        break;
    case Key::Up:
        if (!ed.move_up())
            history_previous();
        break;
    case Key::Down:
        if (!ed.move_down())
            history_next();
        break;
    case Key::Home:
        if (e.has(mod_ctrl) || e.has(mod_shift))
            return scroll(ScrollKind::top);
        ed.move_line_start();
        break;
    case Key::End:
        if (e.has(mod_ctrl) || e.has(mod_shift))
            return scroll(ScrollKind::bottom);
        ed.move_line_end();
        break;
    case Key::PageUp:
        return scroll(ScrollKind::page_up);
    case Key::PageDown:
        return scroll(ScrollKind::page_down);
    case Key::WheelUp:
        return scroll(ScrollKind::lines_up, wheel_lines);
    case Key::WheelDown:
        return scroll(ScrollKind::lines_down, wheel_lines);
    case Key::Char:
        return handle_char(e);
    default:
        break; // Escape, Insert, F-keys, Shift-Tab, clicks: nothing yet
    }
    return {};
}

InputAction InputHandler::handle_char(const KeyEvent& e)
{
    Editor& ed = *m_editor;
    if (e.mods == mod_alt) {
        if (e.ch == 'b')
            ed.move_word_left();
        else if (e.ch == 'f')
            ed.move_word_right();
        return {};
    }
    if (e.mods == (mod_ctrl | mod_alt) && e.ch == 'j') {
        ed.insert_newline();
        return {};
    }
    if (e.mods != mod_ctrl)
        return {};
    switch (e.ch) {
    case 'a':
        ed.move_line_start();
        break;
    case 'e':
        ed.move_line_end();
        break;
    case 'b':
        ed.move_left();
        break;
    case 'f':
        ed.move_right();
        break;
    case 'k':
        ed.kill_to_line_end();
        break;
    case 'u':
        ed.kill_to_line_start();
        break;
    case 'w':
        ed.kill_previous_word();
        break;
    case 'y':
        ed.yank();
        break;
    case 'j':
        ed.insert_newline();
        break;
    case 'p':
        history_previous();
        break;
    case 'n':
        history_next();
        break;
    case 'r':
        start_search();
        break;
    case 'c':
        return action(InputAction::Kind::cancel);
    case 'd':
        if (ed.empty())
            return action(InputAction::Kind::eof);
        ed.delete_forward();
        break;
    case 'l':
        return action(InputAction::Kind::redraw);
    case 'z':
        return action(InputAction::Kind::suspend);
    default:
        break;
    }
    return {};
}

InputAction InputHandler::submit()
{
    if (m_editor->empty())
        return {};
    InputAction a = action(InputAction::Kind::submit);
    a.text.assign(m_editor->text());
    auto saved = m_history->add(a.text);
    if (!saved.has_value())
        a.warning = saved.error();
    m_editor->clear();
    return a;
}

void InputHandler::history_previous()
{
    if (auto entry = m_history->previous(m_editor->text()))
        m_editor->set_text(*entry);
}

void InputHandler::history_next()
{
    if (auto entry = m_history->next())
        m_editor->set_text(*entry);
}

void InputHandler::start_search()
{
    m_saved_text.assign(m_editor->text());
    m_saved_cursor = m_editor->cursor();
    m_search.set_query("");
    m_searching = true;
}

void InputHandler::end_search(bool accept)
{
    m_searching = false;
    auto match = m_search.match();
    if (accept && match) {
        m_editor->set_text(*match);
        m_history->reset_navigation();
    } else {
        m_editor->set_text(m_saved_text);
        m_editor->set_cursor(m_saved_cursor);
    }
    m_saved_text.clear();
}

InputAction InputHandler::handle_search(const KeyEvent& e)
{
    switch (e.key) {
    case Key::Text:
    case Key::Paste:
        m_search.append(e.text);
        return {};
    case Key::Backspace:
        m_search.erase_last();
        return {};
    case Key::Escape:
        end_search(false);
        return {};
    case Key::Enter:
        end_search(true);
        return {};
    case Key::Char:
        if (e.mods == mod_ctrl && e.ch == 'r') {
            m_search.older();
            return {};
        }
        if (e.mods == mod_ctrl && e.ch == 'g') {
            end_search(false);
            return {};
        }
        if (e.mods == mod_ctrl && e.ch == 'c') {
            end_search(false);
            return action(InputAction::Kind::cancel);
        }
        break;
    case Key::WheelUp:
    case Key::WheelDown:
    case Key::PageUp:
    case Key::PageDown:
    case Key::Function:
    case Key::MousePress:
    case Key::MouseRelease: {
        // Scrolling while searching keeps the search open.
        m_searching = false;
        InputAction a = handle(e);
        m_searching = true;
        return a;
    }
    default:
        break;
    }
    // Any other key accepts the match and then acts, as in readline.
    end_search(true);
    return handle(e);
}

} // namespace ik::tui
