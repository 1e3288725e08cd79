// ReplUi: what the session reports (streamed text, thinking, tool calls,
// approvals, notices) and what slash commands do, turned into transcript
// entries. Input and frames are in repl_ui.cc.
#include <fmt/format.h>

#include "app/commands/completion.h"
#include "app/commands/mcp_prompts.h"
#include "app/repl/repl_ui.h"
#include "app/repl/tool_outcome.h"
#include "app/sources_text.h"
#include "tui/escape.h"
#include "tui/widgets.h"

namespace ik::app {
namespace {

// "by you", "by the rule \"bash:rm\"": why a call did not run, in a few words.
std::string denial_reason(const agent::Decision& decision)
{
    switch (decision.source) {
    case agent::DecisionSource::user:
        return "by you";
    case agent::DecisionSource::deny_rule:
        return fmt::format("by the rule \"{}\"", decision.rule);
    default:
        return decision.reason;
    }
}

size_t prompt_bytes(const agent::Session& session)
{
    size_t n = session.settings().system_prompt.size();
    for (const llm::Message& m : session.conversation().messages()) {
        n += m.text.size();
        for (const auto& call : m.tool_calls)
            n += call.arguments.size();
    }
    return n;
}

} // namespace

void ReplUi::print(std::string_view text, Tone tone)
{
    m_transcript.print(text, tone);
    output_changed();
}

// A resumed session's conversation, as it would have been shown live.
void ReplUi::show_history()
{
    for (const llm::Message& m : m_session->conversation().messages()) {
        switch (m.role) {
        case llm::Role::user:
            if (!show_shell_message(m.text))
                m_transcript.user_prompt(m.text);
            break;
        case llm::Role::assistant:
            if (!m.text.empty())
                m_transcript.reply(m.text);
            if (auto sources = m_session->resumed_sources(m.text); !sources.empty())
                on_sources(sources); // under the reply, as it was shown live
            for (const auto& call : m.tool_calls) {
                std::string args(call.arguments.substr(0, 200));
                print(fmt::format("● {} {}", call.name, args), Tone::dim);
            }
            break;
        case llm::Role::tool:
            break;
        }
    }
    print(
        fmt::format("Resumed session {} ({} messages).", m_session->id(), m_session->conversation().messages().size()),
        Tone::dim);
}

void ReplUi::on_round_start(int /*round*/)
{
    m_round_usage = {};
    m_usage_at_round_start = m_session->usage();
    m_round_text_bytes = 0;
    m_request_bytes = prompt_bytes(*m_session);
    m_round_running = true;
    m_view.set_waiting(true, "Thinking");
}

void ReplUi::on_model_event(const llm::Event& event)
{
    switch (event.kind) {
    case llm::StreamEventKind::thinking_delta:
        m_transcript.thinking_delta(event.text);
        m_round_text_bytes += event.text.size();
        if (!m_view.waiting())
            m_view.set_waiting(true, "Thinking");
        output_changed();
        break;
    case llm::StreamEventKind::text_delta:
        if (m_view.waiting())
            m_view.set_waiting(false);
        m_transcript.reply_delta(event.text);
        m_round_text_bytes += event.text.size();
        output_changed();
        break;
    case llm::StreamEventKind::tool_call_start:
        m_transcript.end_stream();
        m_view.set_waiting(true, fmt::format("Preparing {}", event.name));
        break;
    case llm::StreamEventKind::tool_call_delta:
        m_round_text_bytes += event.text.size();
        break;
    case llm::StreamEventKind::usage:
        m_round_usage = event.usage;
        output_changed();
        break;
    case llm::StreamEventKind::search:
        m_view.set_waiting(true, search_progress(event));
        output_changed();
        break;
    default:
        break;
    }
}

void ReplUi::on_tool_start(const llm::ToolCall& call, const agent::ApprovalRequest& request)
{
    m_transcript.end_stream();
    const auto& p = request.preview;
    std::string what = !p.command.empty() ? p.command
        : !p.path.empty()                 ? p.path
        : !p.description.empty()          ? p.description // a tool's own one-line title (todo)
                                          : std::string(call.arguments);
    m_tools[std::string(call.id)] = RunningTool{ std::move(what), {} };
    m_view.set_waiting(true, fmt::format("Running {}", call.name));
}

void ReplUi::on_tool_denied(const llm::ToolCall& call, const agent::Decision& decision, std::string_view /*message*/)
{
    // Shown once, as the call's block, when its result (the message to the
    // model) arrives.
    m_tools[std::string(call.id)] = RunningTool{ call_target(call.arguments), denial_reason(decision) };
}

void ReplUi::on_tool_result(const llm::ToolCall& call, const agent::ToolResult& result)
{
    RunningTool tool;
    if (auto it = m_tools.find(call.id); it != m_tools.end()) {
        tool = std::move(it->second);
        m_tools.erase(it);
    }
    ToolKind kind = tool_kind(call.name);
    ToolOutcome outcome = tool_outcome(kind, result);
    tui::ToolCallView view;
    view.name = call.name;
    if (tool.command.empty())
        tool.command = call_target(call.arguments);
    view.command = tool.command;
    view.state = block_state(outcome);
    view.exit_code = outcome.exit_code;
    view.detail = outcome.state == ToolState::denied ? std::string_view(tool.denied) : outcome.summary;
    view.output = outcome.output;
    view.diff = kind == ToolKind::edits && outcome.state == ToolState::ran;
    m_transcript.tool_block(view);
    // Read-only calls run together (agent/turn_dispatch.cc). After the last
    // one the turn goes on to ask the model again: the spinner stays up
    // rather than blinking out until the next round starts.
    if (m_tools.empty())
        m_view.set_waiting(true, "Thinking");
}

void ReplUi::on_turn_end(const agent::TurnOutcome& outcome)
{
    m_transcript.end_stream();
    m_view.set_waiting(false);
    m_round_usage = {};
    m_round_running = false;
    m_tools.clear();
    restore_model();
    if (outcome.error && !(outcome.interrupted && outcome.error->code() == ErrorCode::interrupted))
        print(outcome.error->to_string(), Tone::error);
    if (outcome.interrupted)
        print("Interrupted.", Tone::dim);
    if (outcome.hit_tool_limit)
        print("Stopped: the tool-call limit for one prompt was reached.", Tone::dim);
    if (!m_queued.empty() && outcome.interrupted) {
        // Stopped on purpose: what was queued may no longer be wanted as is.
        std::string text;
        for (const std::string& q : m_queued)
            text += text.empty() ? q : "\n\n" + q;
        if (!m_input.editor().empty())
            text += "\n" + std::string(m_input.editor().text());
        m_queued.clear();
        m_input.editor().set_text(text);
        print("The queued messages are back in the input.", Tone::dim);
    } else {
        drain_queue();
    }
    input_changed();
}

// Under the reply they belong to, before its tool calls.
void ReplUi::on_sources(std::span<const store::SourceRecord> sources)
{
    m_transcript.end_stream();
    std::string text = sources_text(sources);
    text.pop_back(); // print() splits lines; no empty last one
    print(text, Tone::dim);
}

void ReplUi::on_notice(std::string_view text)
{
    print(text, Tone::dim);
}

void ReplUi::ask_approval(const agent::ApprovalRequest& request, std::function<void(agent::UserAnswer)> answer)
{
    m_transcript.end_stream();
    m_view.set_waiting(false);
    m_approval.open(request, std::move(answer), m_session->settings().approval.project_root);
    input_changed();
}

void ReplUi::approval_key(const tui::KeyEvent& key)
{
    // The body rows the box gets: what layout() gives it (all but the
    // status, input and two scrollback rows), minus its borders.
    tui::Size size = m_view.size();
    int page = std::max(1, size.rows - 4 - 2);
    int total = tui::approval_body_rows(m_approval.view(), size.cols);
    switch (m_approval.handle_key(key, page, total)) {
    case ApprovalPrompt::KeyResult::none:
        break;
    case ApprovalPrompt::KeyResult::answered:
        if (auto chosen = m_approval.chosen())
            answer_approval(*chosen);
        break;
    case ApprovalPrompt::KeyResult::cancel:
        // Cancel first: the turn sees the cancellation when the answer comes.
        if (m_session->busy())
            m_session->cancel();
        answer_approval(agent::UserAnswer::no);
        break;
    case ApprovalPrompt::KeyResult::suspend:
        suspend();
        break;
    }
    input_changed();
}

void ReplUi::answer_approval(agent::UserAnswer answer)
{
    m_approval.answer(answer, [this, answer](std::string_view line) {
        // A denial is shown once, by the call's block.
        if (answer != agent::UserAnswer::no)
            print(line, Tone::dim);
    });
    input_changed();
}

void ReplUi::run_command(std::string_view line)
{
    print(line, Tone::dim);
    auto parsed = parse_command(line);
    if (!parsed) {
        print("Not a command: type /help for the list.", Tone::error);
        return;
    }
    if (auto r = m_session->record_command(line); !r)
        print(r.error().to_string(), Tone::error);
    const SlashCommand* command = find_command(parsed->name);
    if (!command) {
        if (const SlashCommand* guess = suggest_command(parsed->name))
            print(fmt::format("Unknown command /{}: did you mean /{}?", parsed->name, guess->name), Tone::error);
        else
            print(fmt::format("Unknown command /{}: /help lists the commands.", parsed->name), Tone::error);
        return;
    }
    if (busy() && !command->busy_safe) {
        // Kept in the input, like a refused prompt, to send when the reply is done.
        m_input.editor().set_text(line);
        print(fmt::format("/{} has to wait until the reply is done (Esc stops it).", command->name), Tone::error);
        return;
    }
    if (command->custom) {
        run_custom(*command->custom, parsed->args);
        return;
    }
    if (command->mcp_prompt) {
        run_mcp_prompt(*this, *command->mcp_prompt, parsed->args);
        return;
    }
    if (auto r = command->run(*this, parsed->args); !r)
        print(r.error().message(), Tone::error);
}

void ReplUi::clear_scrollback()
{
    m_transcript.clear();
    input_changed();
}

Result<ModelChoice> ReplUi::resolve_model(std::string_view spec)
{
    if (!m_deps.resolve_model)
        return fail(ErrorCode::config, "switching models is not available in this build");
    return m_deps.resolve_model(spec);
}

Result<void> ReplUi::resume(std::string_view id)
{
    if (busy())
        return fail(ErrorCode::invalid_argument, "a reply is running; stop it first");
    agent::SessionDeps deps{ m_deps.loop, m_deps.store, m_deps.model, *this, m_deps.arena };
    agent::SessionSettings settings = m_session->settings();
    auto next = TRY(agent::Session::create(deps, std::move(settings), id));
    // Like `ik -r`: a session another live ik holds is not appended to
    // from here (the two conversations would interleave).
    TRY(m_deps.store.claim_session(next->id()));
    m_session = std::move(next);
    clear_scrollback();
    show_history();
    return {};
}

Result<void> ReplUi::send_prompt(std::string text)
{
    if (busy())
        return fail(ErrorCode::invalid_argument, "a reply is running; stop it first");
    submit(text);
    return {};
}

void ReplUi::pick(std::string title, std::vector<PickItem> items, size_t selected,
    std::function<Result<void>(const PickItem&)> chosen)
{
    if (items.empty())
        return;
    m_picker.open(
        std::move(title), std::move(items), selected, [this, chosen = std::move(chosen)](const PickItem& item) {
            if (auto r = chosen(item); !r)
                print(r.error().message(), Tone::error);
        });
    input_changed();
}

void ReplUi::picker_key(const tui::KeyEvent& key)
{
    m_picker.handle_key(key);
    output_changed();
}

Result<void> ReplUi::copy_to_clipboard(std::string_view text)
{
    std::string bytes;
    tui::esc::clipboard_copy(bytes, text);
    return m_view.write_raw(bytes);
}

void ReplUi::set_extra_instructions(std::string text)
{
    m_extra_instructions = std::move(text);
    std::string prompt = m_base_system_prompt;
    if (!m_extra_instructions.empty()) {
        prompt += "\n\n";
        prompt += m_extra_instructions;
    }
    m_session->set_system_prompt(std::move(prompt));
}

} // namespace ik::app
