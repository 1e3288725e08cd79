#include "app/headless_output.h"

#include <algorithm>

#include <fmt/format.h>
#include <unistd.h>

#include "app/sources_text.h"

namespace ik::app {

void append_json_string(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 15];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

HeadlessOutput::HeadlessOutput(Loop& loop, mem::Arena& arena, OutputFormat format, std::FILE* out)
    : m_loop(loop)
    , m_arena(arena)
    , m_format(format)
    , m_out(out)
    , m_tty(::isatty(::fileno(out)) == 1)
    , m_text(&arena)
    , m_thinking(&arena)
    , m_model(&arena)
    , m_calls(&arena)
    , m_finish(&arena)
{
    m_line.reserve(4096);
}

HeadlessOutput::~HeadlessOutput()
{
    if (m_flush_timer)
        m_loop.cancel(m_flush_timer);
}

void HeadlessOutput::put(std::string_view bytes)
{
    if (m_tty) {
        m_visible.clear();
        m_visible_stream.append(m_visible, bytes);
        bytes = m_visible;
    }
    std::fwrite(bytes.data(), 1, bytes.size(), m_out);
}

void HeadlessOutput::write(std::string_view bytes)
{
    put(bytes);
    if (m_tty)
        std::fflush(m_out);
    else
        schedule_flush();
}

void HeadlessOutput::schedule_flush()
{
    // Batches a fast stream into few writes, yet shows a slow one promptly.
    if (m_flush_timer)
        return;
    m_flush_timer = m_loop.after(std::chrono::milliseconds(20), [this] {
        m_flush_timer = 0;
        std::fflush(m_out);
    });
}

HeadlessOutput::ToolCall& HeadlessOutput::call_at(int index)
{
    index += m_index_base;
    for (auto& c : m_calls)
        if (c.index == index)
            return c;
    m_calls.push_back(ToolCall{ index, std::pmr::string(&m_arena), std::pmr::string(&m_arena),
        std::pmr::string(&m_arena), std::pmr::string(&m_arena) });
    return m_calls.back();
}

void HeadlessOutput::begin_round()
{
    m_usage_total.input += m_usage.input;
    m_usage_total.output += m_usage.output;
    m_usage_total.cached += m_usage.cached;
    m_usage_total.reasoning += m_usage.reasoning;
    m_usage = {};
    m_index_base = static_cast<int>(m_calls.size());
    if (m_format == OutputFormat::json) {
        m_text.clear();
        m_thinking.clear();
    }
    if (m_format == OutputFormat::text && m_text_bytes > 0 && !m_ends_with_newline) {
        write("\n");
        m_ends_with_newline = true;
    }
}

void HeadlessOutput::add_tool_result(
    std::string_view id, std::string_view name, std::string_view content, bool is_error)
{
    if (m_format == OutputFormat::json) {
        for (auto& c : m_calls) {
            if (c.id == id) {
                c.result.assign(content);
                c.has_result = true;
                c.is_error = is_error;
            }
        }
    } else if (m_format == OutputFormat::stream_json) {
        m_line.clear();
        m_line += R"({"type":"tool_result","id":)";
        append_json_string(m_line, id);
        m_line += ",\"name\":";
        append_json_string(m_line, name);
        m_line += ",\"content\":";
        append_json_string(m_line, content);
        m_line += is_error ? ",\"is_error\":true}\n" : ",\"is_error\":false}\n";
        write(m_line);
    }
}

void HeadlessOutput::add_sources(std::span<const store::SourceRecord> sources)
{
    if (m_format == OutputFormat::text) {
        if (m_text_bytes > 0)
            write(m_ends_with_newline ? "\n" : "\n\n");
        write(sources_text(sources));
        m_ends_with_newline = true;
        return;
    }
    std::string list;
    for (const store::SourceRecord& s : sources) {
        if (m_format == OutputFormat::json) {
            // A run of several rounds lists each page once.
            if (std::find(m_source_urls.begin(), m_source_urls.end(), s.url) != m_source_urls.end())
                continue;
            m_source_urls.emplace_back(s.url);
        }
        list += list.empty() ? "{\"url\":" : ",{\"url\":";
        append_json_string(list, s.url);
        list += ",\"title\":";
        append_json_string(list, s.title);
        list += "}";
    }
    if (m_format == OutputFormat::json) {
        if (!list.empty())
            m_sources_json += m_sources_json.empty() ? list : "," + list;
        return;
    }
    write(fmt::format("{{\"type\":\"sources\",\"sources\":[{}]}}\n", list));
}

Result<void> HeadlessOutput::on_event(const llm::Event& e)
{
    switch (e.kind) {
    case llm::StreamEventKind::start:
        if (!e.model.empty())
            m_model.assign(e.model);
        break;
    case llm::StreamEventKind::text_delta:
        m_text_bytes += e.text.size();
        if (!e.text.empty())
            m_ends_with_newline = e.text.back() == '\n';
        if (m_format == OutputFormat::text)
            write(e.text);
        else if (m_format == OutputFormat::json)
            m_text.append(e.text);
        break;
    case llm::StreamEventKind::thinking_delta:
        if (m_format == OutputFormat::json)
            m_thinking.append(e.text);
        break;
    case llm::StreamEventKind::tool_call_start:
        if (m_format == OutputFormat::json) {
            ToolCall& c = call_at(e.index);
            c.id.assign(e.id);
            c.name.assign(e.name);
        }
        break;
    case llm::StreamEventKind::tool_call_delta:
        if (m_format == OutputFormat::json)
            call_at(e.index).arguments.append(e.text);
        break;
    case llm::StreamEventKind::usage:
        m_usage = e.usage;
        break;
    case llm::StreamEventKind::finish:
        m_finish.assign(llm::to_string(e.finish));
        break;
    case llm::StreamEventKind::tool_call_end:
    case llm::StreamEventKind::error:
    case llm::StreamEventKind::search:
    case llm::StreamEventKind::source:
        break;
    }
    if (m_format != OutputFormat::stream_json)
        return {};
    m_line.clear();
    m_line += "{\"type\":";
    append_json_string(m_line, llm::to_string(e.kind));
    auto field = [&](std::string_view name, std::string_view value) {
        m_line += ",\"";
        m_line += name;
        m_line += "\":";
        append_json_string(m_line, value);
    };
    switch (e.kind) {
    case llm::StreamEventKind::start:
        if (!e.model.empty())
            field("model", e.model);
        if (!e.response_id.empty())
            field("response_id", e.response_id);
        break;
    case llm::StreamEventKind::text_delta:
        field("text", e.text);
        break;
    case llm::StreamEventKind::thinking_delta:
        field("text", e.text);
        if (!e.signature.empty())
            field("signature", e.signature);
        break;
    case llm::StreamEventKind::tool_call_start:
        m_line += fmt::format(",\"index\":{}", e.index);
        field("id", e.id);
        field("name", e.name);
        break;
    case llm::StreamEventKind::tool_call_delta:
        m_line += fmt::format(",\"index\":{}", e.index);
        field("arguments", e.text);
        break;
    case llm::StreamEventKind::tool_call_end:
        m_line += fmt::format(",\"index\":{}", e.index);
        break;
    case llm::StreamEventKind::usage:
        m_line += fmt::format(R"(,"usage":{{"input":{},"output":{},"cached":{},"reasoning":{}}})", e.usage.input,
            e.usage.output, e.usage.cached, e.usage.reasoning);
        break;
    case llm::StreamEventKind::finish:
        field("reason", llm::to_string(e.finish));
        if (!e.raw_reason.empty())
            field("raw_reason", e.raw_reason);
        break;
    case llm::StreamEventKind::search:
        field("query", e.text);
        if (!e.raw_reason.empty())
            field("error", e.raw_reason);
        break;
    case llm::StreamEventKind::source:
        field("url", e.text);
        field("title", e.name);
        m_line += e.index == 1 ? ",\"cited\":true" : ",\"cited\":false";
        break;
    case llm::StreamEventKind::error:
        field("category", to_string(e.error_code));
        field("message", e.text);
        if (e.retry_after_ms >= 0)
            m_line += fmt::format(",\"retry_after_ms\":{}", e.retry_after_ms);
        break;
    }
    m_line += "}\n";
    write(m_line);
    return {};
}

void HeadlessOutput::finish(const Error* error, std::string_view category)
{
    if (m_flush_timer) {
        m_loop.cancel(m_flush_timer);
        m_flush_timer = 0;
    }
    if (m_format == OutputFormat::text && m_text_bytes > 0 && !m_ends_with_newline)
        put("\n");
    if (m_format == OutputFormat::json) {
        std::string out;
        out += "{\"text\":";
        append_json_string(out, m_text);
        out += ",\"thinking\":";
        append_json_string(out, m_thinking);
        out += ",\"tool_calls\":[";
        for (size_t i = 0; i < m_calls.size(); ++i) {
            out += i ? ",{\"id\":" : "{\"id\":";
            append_json_string(out, m_calls[i].id);
            out += ",\"name\":";
            append_json_string(out, m_calls[i].name);
            out += ",\"arguments\":";
            append_json_string(out, m_calls[i].arguments);
            if (m_calls[i].has_result) {
                out += ",\"result\":";
                append_json_string(out, m_calls[i].result);
                out += m_calls[i].is_error ? ",\"is_error\":true" : ",\"is_error\":false";
            }
            out += "}";
        }
        out += fmt::format(R"(],"usage":{{"input":{},"output":{},"cached":{},"reasoning":{}}})",
            m_usage_total.input + m_usage.input, m_usage_total.output + m_usage.output,
            m_usage_total.cached + m_usage.cached, m_usage_total.reasoning + m_usage.reasoning);
        out += fmt::format(",\"cost_usd\":{:.6f}", m_cost_usd);
        out += ",\"finish_reason\":";
        if (m_finish.empty())
            out += "null";
        else
            append_json_string(out, m_finish);
        out += ",\"model\":";
        append_json_string(out, m_model);
        if (!m_sources_json.empty())
            out += fmt::format(",\"sources\":[{}]", m_sources_json);
        if (error) {
            out += R"(,"error":{"category":)";
            append_json_string(out, category.empty() ? to_string(error->code()) : category);
            out += ",\"message\":";
            append_json_string(out, error->to_string());
            out += "}";
        }
        out += "}\n";
        put(out);
    }
    if (m_tty) {
        m_visible.clear();
        m_visible_stream.finish(m_visible);
        std::fwrite(m_visible.data(), 1, m_visible.size(), m_out);
    }
    std::fflush(m_out);
}

} // namespace ik::app
