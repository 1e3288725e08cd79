#include "app/repl/input_controller.h"

#include "tui/styled_text.h"

namespace ik::app {

InputController::InputController(Loop& loop, Host& host)
    : m_loop(loop)
    , m_host(host)
{
    m_input = std::make_unique<tui::InputHandler>(m_editor, m_history);
}

InputController::~InputController()
{
    if (m_escape_timer)
        m_loop.cancel(*m_escape_timer);
    if (m_ctrl_c_timer)
        m_loop.cancel(*m_ctrl_c_timer);
}

Result<void> InputController::open_history(const std::string& path)
{
    if (path.empty())
        return {};
    m_history = TRY(tui::History::open(path));
    // The handler keeps pointers to the editor and history: rebuild it
    // around the loaded history.
    m_input = std::make_unique<tui::InputHandler>(m_editor, m_history);
    return {};
}

void InputController::feed(std::string_view bytes)
{
    m_keys.clear();
    m_decoder.feed(bytes, m_keys);
    for (auto& key : m_keys)
        handle_key(key);
    m_keys.clear();
    if (m_decoder.pending() && !m_escape_timer) {
        // A lone ESC: Escape unless the rest of a sequence follows soon.
        m_escape_timer = m_loop.after(tui::KeyDecoder::escape_timeout, [this] {
            m_escape_timer.reset();
            m_keys.clear();
            m_decoder.flush_pending(m_keys);
            for (auto& key : m_keys)
                handle_key(key);
            m_keys.clear();
            m_host.input_changed();
        });
    }
}

void InputController::handle_key(const tui::KeyEvent& key)
{
    if (m_host.approval_pending()) {
        m_host.approval_key(key);
        return;
    }
    if (m_host.picker_open()) {
        m_host.picker_key(key);
        m_host.input_changed();
        return;
    }
    if (key.key == tui::Key::Escape && m_host.busy() && !m_input->searching()) {
        m_host.interrupt();
        m_host.input_changed();
        return;
    }
    if (key.key == tui::Key::BackTab && key.mods == 0) {
        m_host.next_mode();
        m_host.input_changed();
        return;
    }
    if (!m_input->searching() && menu_key(key)) {
        update_menus();
        m_host.input_changed();
        return;
    }
    if (key.key == tui::Key::Up && key.mods == 0 && m_editor.empty() && !m_input->searching()
        && m_host.recall_queued(m_editor)) {
        update_menus();
        m_host.input_changed();
        return;
    }
    if (key.key == tui::Key::Paste && key.dropped > 0)
        m_host.warn(fmt::format("The paste was cut at {} MiB: the last {} bytes were dropped.",
            tui::KeyDecoder::max_paste >> 20, key.dropped));
    if (key.key == tui::Key::Paste && !m_input->searching()) {
        std::error_code ec;
        if (auto image = m_pastes.hold_image(key.text, std::filesystem::current_path(ec))) {
            m_editor.insert(*image);
            disarm_ctrl_c();
            update_menus();
            m_host.input_changed();
            return;
        }
    }
    if (key.key == tui::Key::Paste && !m_input->searching() && Pastes::large(Pastes::normalized(key.text))) {
        m_editor.insert(m_pastes.hold(Pastes::normalized(key.text)));
        disarm_ctrl_c();
        update_menus();
        m_host.input_changed();
        return;
    }
    if (key.is_char('o', tui::mod_ctrl) && !m_input->searching() && !m_pastes.empty()) {
        m_editor.set_text(m_pastes.expand(m_editor.text()));
        m_pastes.clear();
        update_menus();
        m_host.input_changed();
        return;
    }
    if (key.is_char('o', tui::mod_ctrl) && !m_input->searching()) {
        m_host.toggle_expanded();
        return;
    }
    tui::InputAction action = m_input->handle(key);
    if (action.kind != tui::InputAction::Kind::cancel && action.kind != tui::InputAction::Kind::none)
        disarm_ctrl_c();
    if (action.kind == tui::InputAction::Kind::none && m_ctrl_c_armed && !m_editor.empty())
        disarm_ctrl_c();
    handle_action(std::move(action));
    update_menus();
    m_host.input_changed();
}

void InputController::update_menus()
{
    m_menu.update(m_editor.text());
    m_mentions.update(m_editor);
}

bool InputController::menu_key(const tui::KeyEvent& key)
{
    if (m_mentions.open() && key.mods == 0) {
        switch (key.key) {
        case tui::Key::Up:
            m_mentions.previous();
            return true;
        case tui::Key::Down:
            m_mentions.next();
            return true;
        case tui::Key::Tab:
        case tui::Key::Enter:
            m_mentions.accept(m_editor);
            return true;
        case tui::Key::Escape:
            m_mentions.dismiss();
            return true;
        default:
            return false;
        }
    }
    if (!m_menu.open() || key.mods != 0)
        return false;
    switch (key.key) {
    case tui::Key::Up:
        m_menu.previous();
        return true;
    case tui::Key::Down:
        m_menu.next();
        return true;
    case tui::Key::Tab:
        m_editor.set_text(m_menu.completion());
        return true;
    case tui::Key::Escape:
        m_menu.dismiss();
        return true;
    case tui::Key::Enter:
        // "/co" + Enter runs the selected command, as the menu shows it;
        // a name typed in full runs as typed.
        if (m_menu.exact())
            return false;
        m_editor.set_text(fmt::format("/{}", m_menu.selected()->name));
        return false;
    default:
        return false;
    }
}

void InputController::handle_action(tui::InputAction action)
{
    using Kind = tui::InputAction::Kind;
    switch (action.kind) {
    case Kind::none:
        break;
    case Kind::submit:
        if (action.warning)
            m_host.warn(action.warning->to_string());
        if (m_pastes.empty()) {
            m_host.submit(action.text, action.text);
        } else {
            std::string sent = m_pastes.expand(action.text);
            m_pastes.clear();
            m_host.submit(std::move(sent), action.text);
        }
        break;
    case Kind::cancel:
        on_cancel_key();
        break;
    case Kind::eof:
        m_host.quit();
        break;
    case Kind::scroll:
        m_host.scroll(action);
        break;
    case Kind::redraw:
        m_host.invalidate();
        break;
    case Kind::suspend:
        m_host.suspend();
        break;
    }
}

void InputController::on_cancel_key()
{
    if (m_host.busy()) {
        m_host.interrupt();
        disarm_ctrl_c();
        return;
    }
    if (!m_editor.empty()) {
        m_editor.clear();
        disarm_ctrl_c();
        return;
    }
    if (m_ctrl_c_armed) {
        m_host.quit();
        return;
    }
    arm_ctrl_c();
}

void InputController::arm_ctrl_c()
{
    m_ctrl_c_armed = true;
    if (m_ctrl_c_timer)
        m_loop.cancel(*m_ctrl_c_timer);
    m_ctrl_c_timer = m_loop.after(ctrl_c_window, [this] {
        m_ctrl_c_timer.reset();
        m_ctrl_c_armed = false;
        m_host.input_changed();
    });
}

void InputController::disarm_ctrl_c()
{
    m_ctrl_c_armed = false;
    if (m_ctrl_c_timer) {
        m_loop.cancel(*m_ctrl_c_timer);
        m_ctrl_c_timer.reset();
    }
}

void InputController::layout(int cols, tui::InputView& view)
{
    m_row_views.clear();
    if (m_input->searching()) {
        // One row, always: a multi-line match shows its line breaks as ↵
        // so no raw line feed reaches the terminal and the header stays put.
        std::string prompt = m_input->search_prompt();
        std::string flat;
        size_t column = 0;
        size_t from = 0;
        for (size_t nl = prompt.find('\n'); nl != std::string::npos; nl = prompt.find('\n', from)) {
            tui::append_sanitized(flat, std::string_view(prompt).substr(from, nl - from), column);
            flat += "↵";
            from = nl + 1;
        }
        tui::append_sanitized(flat, std::string_view(prompt).substr(from), column);
        int room = std::max(1, cols - tui::text_width(view.prompt) - 1);
        flat.resize(utf8::prefix_fitting(flat, utf8::Columns(static_cast<size_t>(room))).value);
        m_rows.clear();
        m_rows.push_back(std::move(flat));
        m_row_views.emplace_back(m_rows[0]);
        view.cursor_row = 0;
        view.cursor_col = tui::text_width(m_rows[0]);
    } else {
        tui::EditorLayout lay = m_editor.layout(utf8::Columns(static_cast<size_t>(tui::input_width(cols))));
        m_rows.resize(lay.rows.size());
        for (size_t i = 0; i < lay.rows.size(); ++i)
            m_rows[i] = m_editor.row_text(lay.rows[i]);
        for (const auto& r : m_rows)
            m_row_views.emplace_back(r);
        view.cursor_row = static_cast<int>(lay.cursor_row);
        view.cursor_col = static_cast<int>(lay.cursor_column.value);
        // Shell mode (`!command`, shell_command.h) shows in the prompt.
        if (m_editor.text().starts_with('!'))
            view.prompt = "$ ";
    }
    view.rows = m_row_views;
}

} // namespace ik::app
