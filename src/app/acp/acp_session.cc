#include "app/acp/acp_session.h"

#include <fstream>
#include <sstream>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "app/acp/acp_mapping.h"
#include "tui/visible.h"

namespace ik::app::acp {

namespace {

// What an editor is shown of one tool result: enough to read, bounded (the
// model gets the whole result; the store keeps it).
constexpr size_t max_shown_result = size_t{ 64 } * 1024;
// write_file's diff: the file before the call, when it is not too big.
constexpr size_t max_diff_before = size_t{ 1 } << 20;
// A task call's sub-agent lines shown at once.
constexpr size_t max_activity = size_t{ 8 } * 1024;

std::optional<std::string> file_before(const std::filesystem::path& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec) || std::filesystem::file_size(path, ec) > max_diff_before)
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string_view shown(std::string_view text)
{
    return text.substr(0, max_shown_result);
}

} // namespace

AcpSession::AcpSession(Channel& channel, mem::Arena& parent, std::string id, std::filesystem::path cwd)
    : m_channel(channel)
    , m_id(std::move(id))
    , m_cwd(std::move(cwd))
    , m_scratch(parent, "acp-update")
{
}

AcpSession::~AcpSession()
{
    if (m_permission_id)
        m_channel.forget(m_permission_id);
    m_session.reset(); // its turn may still call this observer while it ends
}

void AcpSession::send_update(const json::object& update)
{
    m_channel.notify("session/update", session_update(m_id, update));
    m_scratch.reset();
}

void AcpSession::prompt(const OwnedId& request, std::string_view text, std::span<const agent::ToolImage> images)
{
    m_announced.clear();
    m_tasks.clear();
    m_activity.clear();
    if (auto r = m_session->submit(text, images); !r) {
        m_channel.respond_error(request.view(), jsonrpc::internal_error, r.error().to_string());
        return;
    }
    m_prompt = request;
}

void AcpSession::cancel()
{
    if (!m_session)
        return;
    m_session->cancel();
    if (m_permission_answer) {
        // The protocol has the editor answer "cancelled" too; ik does not
        // wait for it: the turn ends now, and a late answer is ignored.
        m_channel.forget(m_permission_id);
        m_permission_id = 0;
        auto answer = std::move(m_permission_answer);
        m_permission_answer = nullptr;
        answer(agent::UserAnswer::no);
    }
}

void AcpSession::on_model_event(const llm::Event& e)
{
    switch (e.kind) {
    case llm::StreamEventKind::text_delta:
    case llm::StreamEventKind::thinking_delta:
        if (!e.text.empty())
            send_update(text_chunk(m_scratch,
                e.kind == llm::StreamEventKind::text_delta ? "agent_message_chunk" : "agent_thought_chunk", e.text));
        break;
    case llm::StreamEventKind::tool_call_start: {
        if (e.index < 0 || e.index > 1000)
            break; // a provider's nonsense index must not size a vector
        if (m_calls.size() <= static_cast<size_t>(e.index))
            m_calls.resize(static_cast<size_t>(e.index) + 1);
        m_calls[static_cast<size_t>(e.index)] = StreamedCall{ std::string(e.id), std::string(e.name), {}, false };
        break;
    }
    case llm::StreamEventKind::tool_call_delta:
        if (e.index >= 0 && static_cast<size_t>(e.index) < m_calls.size())
            m_calls[static_cast<size_t>(e.index)].arguments += e.text;
        break;
    case llm::StreamEventKind::tool_call_end:
        if (e.index >= 0 && static_cast<size_t>(e.index) < m_calls.size()) {
            StreamedCall& c = m_calls[static_cast<size_t>(e.index)];
            announce(llm::ToolCall{ c.id, c.name, c.arguments }, "pending");
        }
        break;
    default:
        break;
    }
}

void AcpSession::on_round_start(int)
{
    m_calls.clear();
}

bool AcpSession::announced(std::string_view call_id) const
{
    for (const auto& id : m_announced)
        if (id == call_id)
            return true;
    return false;
}

void AcpSession::announce(const llm::ToolCall& call, std::string_view status)
{
    if (call.id.empty() || announced(call.id))
        return;
    m_announced.emplace_back(call.id);
    send_update(tool_call(m_scratch, call, status, m_cwd));
}

void AcpSession::ask_approval(const agent::ApprovalRequest& request, std::function<void(agent::UserAnswer)> answer)
{
    std::string rule = agent::session_rule_for(request).text;
    for (const auto& r : m_rejected_rules)
        if (r == rule) {
            answer(agent::UserAnswer::no); // "reject always" earlier in this session
            return;
        }
    json::object call(json::storage(m_scratch));
    call["toolCallId"] = boost::json::string_view(request.call_id.data(), request.call_id.size());
    call["status"] = "pending";
    if (!request.preview.command.empty())
        call["title"] = boost::json::string_view(fmt::format("Run `{}`", request.preview.command));
    json::object params(json::storage(m_scratch));
    params["sessionId"] = boost::json::string_view(m_id.data(), m_id.size());
    params["toolCall"] = std::move(call);
    params["options"] = permission_options(m_scratch);
    std::string text = boost::json::serialize(params);
    m_scratch.reset();
    m_permission_answer = std::move(answer);
    m_permission_id = m_channel.request("session/request_permission", text, [this, rule](Result<const json::value*> r) {
        m_permission_id = 0;
        auto pending = std::move(m_permission_answer);
        m_permission_answer = nullptr;
        if (!pending)
            return;
        std::optional<PermissionAnswer> chosen;
        if (r && *r) {
            json::Field outcome = json::Field(**r)["outcome"];
            if (outcome["outcome"].string_or("") == "selected")
                chosen = answer_for(outcome["optionId"].string_or(""));
        } else if (!r) {
            tui::print_visible(stderr, "ik: acp: permission: {}\n", r.error().to_string());
        }
        if (chosen && chosen->reject_always)
            m_rejected_rules.push_back(rule);
        // Cancelled, unknown or failed: the call is rejected.
        pending(chosen ? chosen->answer : agent::UserAnswer::no);
    });
}

void AcpSession::on_tool_start(const llm::ToolCall& call, const agent::ApprovalRequest& request)
{
    announce(call, "pending");
    m_before.reset();
    if (call.name == "write_file" && !request.preview.full_path.empty())
        m_before = file_before(request.preview.full_path);
    if (call.name == "task")
        m_tasks.emplace_back(call.id);
    send_update(tool_call_update(m_scratch, call.id, "in_progress"));
}

void AcpSession::on_tool_denied(const llm::ToolCall& call, const agent::Decision&, std::string_view message)
{
    announce(call, "pending");
    ToolOutput out{ .text = shown(message) };
    send_update(tool_call_update(m_scratch, call.id, "failed", &out));
}

void AcpSession::on_tool_result(const llm::ToolCall& call, const agent::ToolResult& result)
{
    announce(call, "pending");
    if (result.state == agent::ToolState::denied)
        return; // on_tool_denied said so
    ToolOutput out;
    if (!result.is_error && result.state == agent::ToolState::ran) {
        std::optional<std::string_view> before;
        if (m_before)
            before = *m_before;
        out = diff_for(m_scratch, call.name, call.arguments, before, m_cwd);
    }
    out.text = shown(result.content);
    send_update(tool_call_update(m_scratch, call.id, result.is_error ? "failed" : "completed", &out));
    m_before.reset();
    if (auto it = m_activity.find(call.id); it != m_activity.end())
        m_activity.erase(it);
    std::erase(m_tasks, call.id);
    if (call.name == agent::todo_tool_name)
        send_plan_if_changed();
}

void AcpSession::send_plan_if_changed()
{
    const agent::Todos& todos = m_session->task_list();
    if (todos.generation() == m_plan_generation)
        return;
    m_plan_generation = todos.generation();
    send_update(plan_update(m_scratch, todos.list()));
}

void AcpSession::on_turn_end(const agent::TurnOutcome& outcome)
{
    if (!m_prompt)
        return;
    OwnedId request = std::move(*m_prompt);
    m_prompt.reset();
    if (auto reason = stop_reason(outcome))
        m_channel.respond(request.view(), fmt::format(R"({{"stopReason":"{}"}})", *reason));
    else
        m_channel.respond_error(request.view(), jsonrpc::internal_error,
            outcome.error ? outcome.error->to_string() : std::string("the turn failed"));
}

void AcpSession::on_notice(std::string_view text)
{
    tui::print_visible(stderr, "ik: {}\n", text);
}

void AcpSession::report_subagent_activity(std::string_view parent_call_id, std::string_view line)
{
    if (parent_call_id.empty())
        return;
    auto it = m_activity.find(parent_call_id);
    if (it == m_activity.end())
        it = m_activity.emplace(std::string(parent_call_id), std::string()).first;
    std::string& text = it->second;
    // Each update replaces the call's content: the lines so far, the newest
    // kept when there are too many.
    text.append(line).push_back('\n');
    if (text.size() > max_activity) {
        size_t cut = text.find('\n', text.size() - max_activity);
        text.erase(0, cut == std::string::npos ? text.size() : cut + 1);
    }
    ToolOutput out{ .text = text };
    send_update(tool_call_update(m_scratch, parent_call_id, "in_progress", &out));
}

void AcpSession::on_agent_tool(std::string_view task_call_id, const llm::ToolCall& call)
{
    for (const std::string& id : m_tasks)
        if (id == task_call_id) {
            std::string line = activity_line(m_scratch, call);
            m_scratch.reset();
            report_subagent_activity(id, line);
            return;
        }
}

void AcpSession::replay_history()
{
    const agent::Conversation& window = m_session->conversation();
    for (const llm::Message& m : window.messages()) {
        switch (m.role) {
        case llm::Role::user:
            send_update(text_chunk(m_scratch, "user_message_chunk", m.text));
            break;
        case llm::Role::assistant:
            if (!m.thinking.empty())
                send_update(text_chunk(m_scratch, "agent_thought_chunk", m.thinking));
            if (!m.text.empty())
                send_update(text_chunk(m_scratch, "agent_message_chunk", m.text));
            for (const llm::ToolCall& c : m.tool_calls)
                send_update(tool_call(m_scratch, c, "pending", m_cwd));
            break;
        case llm::Role::tool: {
            ToolOutput out{ .text = shown(m.text) };
            send_update(tool_call_update(m_scratch, m.tool_call_id, m.is_error ? "failed" : "completed", &out));
            break;
        }
        default:
            break;
        }
    }
    send_plan_if_changed();
}

} // namespace ik::app::acp
