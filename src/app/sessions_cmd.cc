#include "app/sessions_cmd.h"

#include <ctime>
#include <string>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "app/exit_codes.h"
#include "core/json.h"
#include "core/utf8.h"
#include "llm/catalog.h"

namespace ik::app {

namespace {

constexpr int exit_failure = 1;
constexpr size_t dir_columns = 28;
constexpr size_t title_columns = 60;
constexpr size_t show_max_lines = 40;

using store::Event;
using store::EventKind;

int report(std::FILE* err, const Error& error)
{
    fmt::print(err, "ik: {}\n", error.to_string());
    bool usage = error.code() == ErrorCode::invalid_argument;
    return usage ? exit_usage : exit_failure;
}

std::string local_time(store::TimeMs ms, const char* format)
{
    std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    size_t n = std::strftime(buf, sizeof buf, format, &tm);
    return std::string(buf, n);
}

std::string tilde(std::string_view dir)
{
    const char* home = std::getenv("HOME");
    std::string_view h = home ? home : "";
    if (h.size() > 1 && dir.starts_with(h) && (dir.size() == h.size() || dir[h.size()] == '/'))
        return fmt::format("~{}", dir.substr(h.size()));
    return std::string(dir);
}

size_t width(std::string_view s)
{
    return utf8::display_width(s).value;
}

// At most `columns` wide, cut at the end (or the start) with an ellipsis.
std::string fit(std::string_view s, size_t columns, bool keep_end = false)
{
    if (width(s) <= columns)
        return std::string(s);
    if (!keep_end)
        return fmt::format("{}…", s.substr(0, utf8::prefix_fitting(s, utf8::Columns(columns - 1)).value));
    size_t start = 0;
    while (start < s.size() && width(s.substr(start)) > columns - 1)
        start += std::max<size_t>(1, utf8::next_grapheme(s, utf8::Bytes(start)).value);
    return fmt::format("…{}", s.substr(start));
}

std::string pad(std::string_view s, size_t columns)
{
    size_t w = width(s);
    return fmt::format("{}{:{}}", s, "", w < columns ? columns - w : 0);
}

Result<std::string> resolve(store::Store& store, std::string_view id)
{
    return store.resolve_id(id);
}

// A fence longer than any backtick run in `text`.
std::string fence_for(std::string_view text)
{
    size_t longest = 0, run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<size_t>(3, longest + 1), '`');
}

void print_indented(std::FILE* out, std::string_view text, size_t max_lines)
{
    size_t lines = 0;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (lines == max_lines) {
            size_t rest = 1;
            for (char c : text)
                rest += c == '\n';
            fmt::print(out, "  … ({} more lines)\n", rest - (text.back() == '\n'));
            return;
        }
        fmt::print(out, "  {}\n", line);
        ++lines;
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
}

std::string json_text(const json::value* v)
{
    if (!v)
        return {};
    if (v->is_string())
        return std::string(v->get_string());
    return boost::json::serialize(*v);
}

// What an event says, in words, for `show`: a heading and a body.
struct Rendered {
    std::string heading;
    std::string body;
};

Rendered render(const Event& e, const json::value& v)
{
    json::Field f(v);
    std::string text(f["text"].string_or(""));
    std::string name(f["name"].string_or(""));
    switch (e.kind) {
    case EventKind::assistant: {
        std::string body = text;
        if (const json::value* calls = f["tool_calls"].get(); calls && calls->is_array()) {
            for (const json::value& call : calls->get_array()) {
                json::Field c(call);
                body += fmt::format(
                    "{}→ {} {}", body.empty() ? "" : "\n", c["name"].string_or("?"), json_text(c["arguments"].get()));
            }
        }
        return { "assistant", body };
    }
    case EventKind::tool_call:
        return { fmt::format("tool call {}", name), json_text(f["arguments"].get()) };
    case EventKind::tool_result: {
        std::string heading = fmt::format("tool result {}", name);
        if (f["is_error"].boolean_or(false))
            heading += " (error)";
        if (f["exit_code"].exists())
            heading += fmt::format(" (exit {})", f["exit_code"].integer_or(0));
        return { heading, text };
    }
    case EventKind::approval:
        return { fmt::format("approval {}: {}", f["tool"].string_or("?"), f["decision"].string_or("?")),
            std::string(f["reason"].string_or("")) };
    case EventKind::usage:
        return { fmt::format("usage: {} in, {} out, {} cached{}", f["input"].integer_or(0), f["output"].integer_or(0),
                     f["cached"].integer_or(0),
                     f["cost_usd"].exists()
                         ? fmt::format(", {}", llm::format_cost(f["cost_usd"].number().value_or(0.0)))
                         : std::string()),
            "" };
    case EventKind::mark:
        return { fmt::format("mark {}", name), "" };
    case EventKind::rewind:
        return { fmt::format("rewind to event {}", f["to_seq"].integer_or(0)), "" };
    case EventKind::error:
        return { fmt::format("error {}", f["category"].string_or("")), text };
    case EventKind::interrupted:
        return { fmt::format("interrupted: {}", f["reason"].string_or("")), text };
    case EventKind::compaction:
        return { fmt::format("compaction ({}): {} messages replaced, {} tool outputs trimmed, ~{} → ~{} tokens",
                     f["mode"].string_or("?"), f["cut"].integer_or(0), f["prunes"].size(),
                     f["before_tokens"].integer_or(0), f["after_tokens"].integer_or(0)),
            std::string(f["summary"].string_or("")) };
    default:
        return { std::string(store::to_string(e.kind)), text };
    }
}

void markdown_event(std::FILE* out, const Event& e, const json::value& v)
{
    json::Field f(v);
    std::string text(f["text"].string_or(""));
    auto code = [&](std::string_view lang, std::string_view body) {
        std::string fence = fence_for(body);
        fmt::print(out, "{}{}\n{}\n{}\n\n", fence, lang, body, fence);
    };
    switch (e.kind) {
    case EventKind::user:
        fmt::print(out, "## User\n\n{}\n\n", text);
        break;
    case EventKind::assistant:
        fmt::print(out, "## Assistant\n\n");
        if (!text.empty())
            fmt::print(out, "{}\n\n", text);
        if (const json::value* calls = f["tool_calls"].get(); calls && calls->is_array()) {
            for (const json::value& call : calls->get_array()) {
                json::Field c(call);
                fmt::print(out, "**Tool call** `{}`\n\n", c["name"].string_or("?"));
                code("json", json_text(c["arguments"].get()));
            }
        }
        break;
    case EventKind::thinking:
        fmt::print(out, "<details><summary>Thinking</summary>\n\n{}\n\n</details>\n\n", text);
        break;
    case EventKind::tool_call:
        fmt::print(out, "**Tool call** `{}`\n\n", f["name"].string_or("?"));
        code("json", json_text(f["arguments"].get()));
        break;
    case EventKind::tool_result:
        fmt::print(out, "**Tool result** `{}`{}\n\n", f["name"].string_or("?"),
            f["is_error"].boolean_or(false) ? " (error)" : "");
        code("", text);
        break;
    case EventKind::interrupted:
        fmt::print(out, "## Assistant (interrupted: {})\n\n{}\n\n", f["reason"].string_or(""), text);
        break;
    case EventKind::assistant_partial:
    case EventKind::usage:
        break;
    default: {
        Rendered r = render(e, v);
        fmt::print(out, "*{}*\n\n", r.heading);
        if (!r.body.empty())
            fmt::print(out, "{}\n\n", r.body);
    }
    }
}

} // namespace

Result<ExportFormat> parse_export_format(std::string_view name)
{
    if (name == "jsonl")
        return ExportFormat::jsonl;
    if (name == "markdown" || name == "md")
        return ExportFormat::markdown;
    return fail(ErrorCode::invalid_argument, "unknown export format \"{}\" (expected jsonl or markdown)", name);
}

namespace {

// A session's tokens (in + out) and cost, summed over its usage events
// (turns and compaction summaries). Each event carries the cost at the prices
// of its time, so a price change never rewrites history.
struct Totals {
    int64_t tokens = 0;
    double cost_usd = 0;
};

Totals usage_totals(store::Store& store, std::string_view id)
{
    Totals t;
    mem::Arena scratch(mem::root(), "usage-totals");
    (void)store.load_events(id, 0, [&](const Event& e) -> Result<void> {
        if (e.kind != EventKind::usage)
            return {};
        scratch.reset();
        auto v = json::parse(scratch, e.data, "usage event");
        if (!v)
            return {};
        json::Field f(*v);
        t.tokens += f["input"].integer_or(0) + f["output"].integer_or(0);
        if (f["cost_usd"].exists())
            t.cost_usd += f["cost_usd"].number().value_or(0.0);
        return {};
    });
    return t;
}

std::string short_tokens(int64_t n)
{
    if (n >= 1000000)
        return fmt::format("{:.1f}M", static_cast<double>(n) / 1e6);
    if (n >= 1000)
        return fmt::format("{:.1f}k", static_cast<double>(n) / 1e3);
    return fmt::format("{}", n);
}

} // namespace

int sessions_list(store::Store& store, const SessionsListOptions& options, std::FILE* out, std::FILE* err)
{
    mem::Arena arena(mem::root(), "sessions");
    auto sessions = store.list_sessions(arena, { .cwd = options.cwd, .limit = options.limit });
    if (!sessions)
        return report(err, sessions.error());
    if (sessions->empty()) {
        fmt::print(err, "no sessions yet in {}\n", store.describe());
        return exit_ok;
    }
    fmt::print(out, "{:<12}  {:<16}  {:>6}  {:>7}  {:>8}  {}  {}\n", "ID", "UPDATED", "EVENTS", "TOKENS", "COST",
        pad("DIRECTORY", dir_columns), "TITLE");
    for (const store::SessionInfo& s : *sessions) {
        Totals t = usage_totals(store, s.id);
        fmt::print(out, "{:<12}  {:<16}  {:>6}  {:>7}  {:>8}  {}  {}\n", s.id,
            local_time(s.updated_at, "%Y-%m-%d %H:%M"), s.event_count, short_tokens(t.tokens),
            llm::format_cost(t.cost_usd), pad(fit(tilde(s.cwd), dir_columns, true), dir_columns),
            s.title.empty() ? "(untitled)" : fit(s.title, title_columns));
    }
    return exit_ok;
}

int sessions_search(store::Store& store, std::string_view text, std::FILE* out, std::FILE* err)
{
    mem::Arena arena(mem::root(), "search");
    auto hits = store.search(arena, text);
    if (!hits)
        return report(err, hits.error());
    if (hits->empty()) {
        fmt::print(err, "no matches for \"{}\"\n", text);
        return exit_ok;
    }
    for (const store::SearchHit& h : *hits) {
        fmt::print(out, "{} #{} {}  {}  {}  {}\n", h.session_id, h.seq, store::to_string(h.kind),
            local_time(h.created_at, "%Y-%m-%d %H:%M"), tilde(h.cwd),
            h.title.empty() ? "(untitled)" : fit(h.title, title_columns));
        std::string snippet(h.snippet);
        std::replace(snippet.begin(), snippet.end(), '\n', ' ');
        fmt::print(out, "    {}\n", snippet);
    }
    return exit_ok;
}

int sessions_show(store::Store& store, std::string_view id_prefix, std::FILE* out, std::FILE* err)
{
    Result<std::string> id = resolve(store, id_prefix);
    if (!id)
        return report(err, id.error());
    mem::Arena arena(mem::root(), "show");
    auto info = store.session(arena, *id);
    if (!info)
        return report(err, info.error());
    fmt::print(out, "Session {}: {}\n", info->id, info->title.empty() ? "(untitled)" : info->title);
    fmt::print(out, "Directory {}  Model {}  Started {}  Events {}\n", tilde(info->cwd),
        info->model.empty() ? "-" : info->model, local_time(info->created_at, "%Y-%m-%d %H:%M"), info->event_count);
    mem::Arena scratch(arena, "event");
    Result<void> r = store.load_events(*id, 0, [&](const Event& e) -> Result<void> {
        if (e.kind == EventKind::assistant_partial)
            return {};
        json::value v = TRY(json::parse(scratch, e.data, "event data"));
        Rendered shown = render(e, v);
        fmt::print(out, "\n[{}] #{} {}\n", local_time(e.created_at, "%H:%M:%S"), e.seq, shown.heading);
        print_indented(out, shown.body, show_max_lines);
        scratch.reset();
        return {};
    });
    if (!r)
        return report(err, r.error());
    return exit_ok;
}

int sessions_export(
    store::Store& store, std::string_view id_prefix, ExportFormat format, std::FILE* out, std::FILE* err)
{
    Result<std::string> id = resolve(store, id_prefix);
    if (!id)
        return report(err, id.error());
    mem::Arena arena(mem::root(), "export");
    auto info = store.session(arena, *id);
    if (!info)
        return report(err, info.error());
    auto str = [](std::string_view s) { return boost::json::serialize(boost::json::string_view(s.data(), s.size())); };
    if (format == ExportFormat::jsonl) {
        fmt::print(out,
            R"({{"type":"session","id":{},"cwd":{},"model":{},"title":{},"created_at":{},"updated_at":{},"event_count":{}}})"
            "\n",
            str(info->id), str(info->cwd), str(info->model), str(info->title), info->created_at, info->updated_at,
            info->event_count);
    } else {
        fmt::print(out, "# {}\n\n- Session: `{}`\n- Directory: `{}`\n- Model: {}\n- Started: {}\n\n",
            info->title.empty() ? "Untitled session" : info->title, info->id, info->cwd,
            info->model.empty() ? "-" : info->model, local_time(info->created_at, "%Y-%m-%d %H:%M:%S %Z"));
    }
    mem::Arena scratch(arena, "event");
    Result<void> r = store.load_events(*id, 0, [&](const Event& e) -> Result<void> {
        if (format == ExportFormat::jsonl) {
            fmt::print(out,
                R"({{"type":"event","seq":{},"kind":"{}","created_at":{},"data":{}}})"
                "\n",
                e.seq, store::to_string(e.kind), e.created_at, e.data);
            return {};
        }
        json::value v = TRY(json::parse(scratch, e.data, "event data"));
        markdown_event(out, e, v);
        scratch.reset();
        return {};
    });
    if (!r)
        return report(err, r.error());
    return exit_ok;
}

} // namespace ik::app
