#include "app/sessions_cmd.h"

#include <ctime>
#include <string>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "app/exit_codes.h"
#include "app/session_links.h"
#include "app/sources_text.h"
#include "core/json.h"
#include "core/utf8.h"
#include "llm/catalog.h"
#include "llm/image.h"
#include "store/records.h"
#include "store/reply_text.h"
#include "tui/visible.h"
#include "tui/widgets.h"

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
    tui::print_visible(err, "ik: {}\n", error.to_string());
    // An unknown or ambiguous id is a usage error, as for `ik -r ID`.
    if (error.code() == ErrorCode::invalid_argument || error.code() == ErrorCode::not_found)
        return exit_usage;
    return error.code() == ErrorCode::store ? exit_store : exit_failure;
}

std::string local_time(store::TimeMs ms, const char* format)
{
    auto t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    size_t n = std::strftime(buf, sizeof buf, format, &tm);
    return { buf, n };
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
    // NOLINTNEXTLINE(modernize-return-braced-init-list): braces would pick initializer_list<char>, not (count, char)
    return std::string(std::max<size_t>(3, longest + 1), '`');
}

void print_indented(tui::TextWriter& out, std::string_view text, size_t max_lines)
{
    size_t lines = 0;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (lines == max_lines) {
            size_t rest = 1;
            for (char c : text)
                rest += c == '\n';
            out.print("  … ({} more lines)\n", rest - (text.back() == '\n'));
            return;
        }
        out.print("  {}\n", line);
        ++lines;
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
}

// An event the record types cannot read is damage in the store, not a bad
// argument: ErrorCode::parse (exit 1: the data is bad, the store works), naming the event.
Error corrupt(const Event& e, const Error& error)
{
    return { ErrorCode::parse,
        fmt::format("event {} ({}) cannot be read: {}", e.seq, store::to_string(e.kind), error.to_string()) };
}

// What an event says, in words, for `show`: a heading and a body.
struct Rendered {
    std::string heading;
    std::string body;
};

std::string calls_text(std::span<const store::ToolCallRecord> calls, std::string_view before)
{
    std::string body(before);
    for (const store::ToolCallRecord& c : calls)
        body += fmt::format("{}→ {} {}", body.empty() ? "" : "\n", c.name.empty() ? "?" : c.name, c.arguments);
    return body;
}

// " (denied)", " (exit 3)", " (error)": what the result's state and exit code say.
std::string tool_result_tags(const store::ToolResultRecord& r)
{
    std::string tags;
    if (r.state != store::ToolState::ran)
        tags += fmt::format(" ({})", store::to_string(r.state));
    else if (r.is_error && !r.exit_code)
        tags += " (error)";
    if (r.exit_code)
        tags += fmt::format(" (exit {})", *r.exit_code);
    return tags;
}

// "\n[image shot.png, 120 KB]" per stored image: never the base64 itself.
std::string image_lines(std::span<const store::ImageRecord> images)
{
    std::string out;
    for (const store::ImageRecord& i : images)
        out += fmt::format("\n[image {}, {}]", i.name,
            llm::image_size(llm::Image{ .media_type = i.media_type, .data = i.data, .name = i.name }.bytes()));
    return out;
}

// Every reader goes through the record types (store/records.h); `a` holds
// what they point into and is reset by the caller.
// `joined` has seen every event before `e` (the batches a reply's last event refers to).
Result<Rendered> render(mem::Arena& a, const Event& e, store::ReplyText& joined)
{
    switch (e.kind) {
    case EventKind::user: {
        auto r = TRY(store::UserRecord::parse(a, e.data));
        return Rendered{ "user", std::string(r.text) + image_lines(r.images) };
    }
    case EventKind::assistant: {
        auto r = TRY(store::AssistantRecord::parse(a, e.data));
        std::string body = calls_text(r.tool_calls, joined.text(r));
        if (!r.sources.empty())
            body += (body.empty() ? "" : "\n\n") + sources_text(r.sources);
        return Rendered{ "assistant", std::move(body) };
    }
    case EventKind::thinking:
        return Rendered{ "thinking", std::string(TRY(store::ThinkingRecord::parse(a, e.data)).text) };
    case EventKind::tool_call: {
        auto r = TRY(store::ToolCallRecord::parse(a, e.data));
        return Rendered{ fmt::format("tool call {}", r.name), std::string(r.arguments) };
    }
    case EventKind::tool_result: {
        auto r = TRY(store::ToolResultRecord::parse(a, e.data));
        return Rendered{ fmt::format("tool result {}{}", r.name, tool_result_tags(r)),
            std::string(r.text) + image_lines(r.images) };
    }
    case EventKind::approval: {
        auto r = TRY(store::ApprovalRecord::parse(a, e.data));
        std::string_view what = r.command.empty() ? r.path : r.command;
        return Rendered{ fmt::format("approval {}: {}{}{}", r.tool.empty() ? "?" : r.tool,
                             r.verdict.empty() ? "?" : r.verdict, what.empty() ? "" : " ", what),
            std::string(r.reason) };
    }
    case EventKind::command:
        return Rendered{ "command", std::string(TRY(store::CommandRecord::parse(a, e.data)).text) };
    case EventKind::usage: {
        auto r = TRY(store::UsageRecord::parse(a, e.data));
        return Rendered{ fmt::format("usage: {} in, {} out, {} cached{}{}", r.input, r.output, r.cached,
                             r.cost_usd ? ", " + llm::format_cost(*r.cost_usd) : std::string(),
                             r.purpose.empty() ? "" : fmt::format(" ({})", r.purpose)),
            "" };
    }
    case EventKind::compaction: {
        auto r = TRY(store::CompactionRecord::parse(a, e.data));
        return Rendered{ fmt::format("compaction ({}): {} messages replaced, {} tool outputs trimmed, ~{} → ~{} tokens",
                             r.mode, r.cut, r.prunes.size(), r.before_tokens, r.after_tokens),
            std::string(r.summary) };
    }
    case EventKind::mark:
        return Rendered{ fmt::format("mark {}", TRY(store::MarkRecord::parse(a, e.data)).name), "" };
    case EventKind::rewind: {
        auto r = TRY(store::RewindRecord::parse(a, e.data));
        if (r.to_seq == 0)
            return Rendered{ "clear", "" };
        return Rendered{ fmt::format("rewind to mark {} (event {})", r.name, r.to_seq), "" };
    }
    case EventKind::error: {
        auto r = TRY(store::ErrorRecord::parse(a, e.data));
        return Rendered{ fmt::format("error {}", r.category), std::string(r.text) };
    }
    case EventKind::interrupted: {
        auto r = TRY(store::InterruptedRecord::parse(a, e.data));
        return Rendered{ fmt::format("interrupted: {}", r.reason), std::string(joined.text(r)) };
    }
    case EventKind::system:
        return Rendered{ "system", std::string(TRY(store::SystemRecord::parse(a, e.data)).text) };
    case EventKind::eviction: {
        auto r = TRY(store::EvictionRecord::parse(a, e.data));
        return Rendered{ fmt::format("memory cap: {} messages left the window (it starts at exchange {})", r.messages,
                             r.first_exchange),
            "" };
    }
    case EventKind::assistant_partial: {
        auto r = TRY(store::AssistantPartialRecord::parse(a, e.data));
        return Rendered{ fmt::format("partial reply {}", r.reply), std::string(r.text) };
    }
    case EventKind::checkpoint: {
        auto r = TRY(store::CheckpointRecord::parse(a, e.data));
        std::string files;
        for (const store::CheckpointFile& f : r.files)
            files += fmt::format("{} {}\n", f.change, f.path);
        return Rendered{ fmt::format("checkpoint {}: {} file(s) changed", r.pre.substr(0, 12), r.files_total), files };
    }
    case EventKind::undo: {
        auto r = TRY(store::UndoRecord::parse(a, e.data));
        return Rendered{ fmt::format("undo of checkpoint event {}: {} file(s){}", r.checkpoint, r.files,
                             r.forced ? " (forced)" : ""),
            "" };
    }
    }
    return Rendered{ std::string(store::to_string(e.kind)), "" };
}

Result<void> markdown_event(tui::TextWriter& out, mem::Arena& a, const Event& e, store::ReplyText& joined)
{
    auto code = [&](std::string_view lang, std::string_view body) {
        std::string fence = fence_for(body);
        out.print("{}{}\n{}\n{}\n\n", fence, lang, body, fence);
    };
    switch (e.kind) {
    case EventKind::user: {
        auto r = TRY(store::UserRecord::parse(a, e.data));
        out.print("## User\n\n{}{}\n\n", r.text, image_lines(r.images));
        break;
    }
    case EventKind::assistant: {
        auto r = TRY(store::AssistantRecord::parse(a, e.data));
        out.print("## Assistant\n\n");
        if (std::string_view text = joined.text(r); !text.empty())
            out.print("{}\n\n", text);
        for (size_t n = 0; n < r.sources.size(); ++n) { // Markdown: a numbered list of links
            const store::SourceRecord& src = r.sources[n];
            out.print("{}. [{}]({})\n", n + 1, one_line(src.title.empty() ? src.url : src.title), one_line(src.url));
        }
        if (!r.sources.empty())
            out.print("\n");
        for (const store::ToolCallRecord& c : r.tool_calls) {
            out.print("**Tool call** `{}`\n\n", c.name.empty() ? "?" : c.name);
            code("json", c.arguments);
        }
        break;
    }
    case EventKind::thinking:
        out.print("<details><summary>Thinking</summary>\n\n{}\n\n</details>\n\n",
            TRY(store::ThinkingRecord::parse(a, e.data)).text);
        break;
    case EventKind::tool_result: {
        auto r = TRY(store::ToolResultRecord::parse(a, e.data));
        out.print("**Tool result** `{}`{}\n\n", r.name.empty() ? "?" : r.name, tool_result_tags(r));
        code("", std::string(r.text) + image_lines(r.images));
        break;
    }
    case EventKind::interrupted: {
        auto r = TRY(store::InterruptedRecord::parse(a, e.data));
        out.print("## Assistant (interrupted: {})\n\n{}\n\n", r.reason, joined.text(r));
        break;
    }
    // The assistant event lists its calls already; batches are joined into
    // the event that ends their reply; usage is bookkeeping.
    case EventKind::tool_call:
    case EventKind::assistant_partial:
    case EventKind::usage:
        break;
    default: {
        Rendered r = TRY(render(a, e, joined));
        out.print("*{}*\n\n", r.heading);
        if (!r.body.empty())
            out.print("{}\n\n", r.body);
    }
    }
    return {};
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

int sessions_list(store::Store& store, const SessionsListOptions& options, std::FILE* out_file, std::FILE* err)
{
    tui::TextWriter out(out_file, tui::rendering_for(out_file));
    mem::Arena arena(mem::root(), "sessions");
    auto sessions = store.list_sessions(arena, { .cwd = options.cwd, .limit = options.limit });
    if (!sessions)
        return report(err, sessions.error());
    if (sessions->empty()) {
        if (options.cwd.empty()) {
            tui::print_visible(err, "no sessions yet in {}\n", store.describe());
            return exit_ok;
        }
        // The store may hold sessions of other directories: say so.
        auto all = store.list_sessions(arena, { .cwd = "", .limit = 0 });
        if (!all)
            return report(err, all.error());
        if (all->empty())
            tui::print_visible(err, "no sessions yet in {}\n", store.describe());
        else
            tui::print_visible(err, "no sessions in {} ({} in other directories: `ik sessions -a` lists them)\n",
                tilde(options.cwd), all->size());
        return exit_ok;
    }
    out.print("{:<12}  {:<16}  {:>6}  {:>6}  {:>7}  {}  {}\n", "ID", "UPDATED", "EVENTS", "TOKENS", "COST",
        pad("DIRECTORY", dir_columns), "TITLE");
    // Sub-agents' sessions under their parent (session_links.h).
    for (const ListedSession& row : nest_sub_agents(*sessions)) {
        const store::SessionInfo& s = *row.info;
        std::string marker = listed_marker(row);
        // Totals kept on the session row (store migration 5): no event is read.
        char tokens[16];
        tui::format_count(tokens, static_cast<uint64_t>(std::max<int64_t>(0, s.tokens_in + s.tokens_out)));
        out.print("{:<12}  {:<16}  {:>6}  {:>6}  {:>7}  {}  {}\n", s.id, local_time(s.updated_at, "%Y-%m-%d %H:%M"),
            s.event_count, s.tokens_in + s.tokens_out > 0 ? std::string_view(tokens) : "-",
            s.cost_usd > 0 ? llm::format_cost(s.cost_usd) : "-", pad(fit(tilde(s.cwd), dir_columns, true), dir_columns),
            fit(marker + std::string(s.title.empty() ? "(untitled)" : s.title), title_columns + width(marker)));
    }
    return exit_ok;
}

int sessions_search(store::Store& store, std::string_view text, std::FILE* out_file, std::FILE* err)
{
    tui::TextWriter out(out_file, tui::rendering_for(out_file));
    mem::Arena arena(mem::root(), "search");
    auto hits = store.search(arena, text);
    if (!hits)
        return report(err, hits.error());
    if (hits->empty()) {
        tui::print_visible(err, "no matches for \"{}\"\n", text);
        return exit_ok;
    }
    for (const store::SearchHit& h : *hits) {
        out.print("{} #{} {}  {}  {}  {}{}\n", h.session_id, h.seq, store::to_string(h.kind),
            local_time(h.created_at, "%Y-%m-%d %H:%M"), tilde(h.cwd),
            h.title.empty() ? "(untitled)" : fit(h.title, title_columns),
            h.parent_id.empty() ? std::string() : fmt::format("  (sub-agent of {})", h.parent_id));
        std::string snippet(h.snippet);
        std::replace(snippet.begin(), snippet.end(), '\n', ' ');
        out.print("    {}\n", snippet);
    }
    return exit_ok;
}

int sessions_show(store::Store& store, std::string_view id_prefix, std::FILE* out_file, std::FILE* err)
{
    tui::TextWriter out(out_file, tui::rendering_for(out_file));
    Result<std::string> id = resolve(store, id_prefix);
    if (!id)
        return report(err, id.error());
    mem::Arena arena(mem::root(), "show");
    auto info = store.session(arena, *id);
    if (!info)
        return report(err, info.error());
    out.print("Session {}: {}\n", info->id, info->title.empty() ? "(untitled)" : info->title);
    out.print("Directory {}  Model {}  Started {}  Events {}\n", tilde(info->cwd),
        info->model.empty() ? "-" : info->model, local_time(info->created_at, "%Y-%m-%d %H:%M"), info->event_count);
    auto children = sub_agent_sessions(store, arena, info->id);
    if (!children)
        return report(err, children.error());
    print_links(out, *info, *children);
    mem::Arena scratch(arena, "event");
    store::ReplyText joined(arena);
    Result<void> r = store.load_events(*id, 0, [&](const Event& e) -> Result<void> {
        Result<bool> batch = joined.take(scratch, e);
        scratch.reset();
        if (!batch)
            return fail(corrupt(e, batch.error()));
        if (*batch)
            return {}; // shown as part of the interrupted event that refers to it
        Result<Rendered> rendered = render(scratch, e, joined);
        if (!rendered)
            return fail(corrupt(e, rendered.error()));
        const Rendered& shown = *rendered;
        out.print("\n[{}] #{} {}\n", local_time(e.created_at, "%H:%M:%S"), e.seq, shown.heading);
        print_indented(out, shown.body, show_max_lines);
        scratch.reset();
        return {};
    });
    if (!r)
        return report(err, r.error());
    return exit_ok;
}

int sessions_export(
    store::Store& store, std::string_view id_prefix, ExportFormat format, std::FILE* out_file, std::FILE* err)
{
    tui::TextWriter out(out_file, tui::rendering_for(out_file));
    Result<std::string> id = resolve(store, id_prefix);
    if (!id)
        return report(err, id.error());
    mem::Arena arena(mem::root(), "export");
    auto info = store.session(arena, *id);
    if (!info)
        return report(err, info.error());
    auto children = sub_agent_sessions(store, arena, info->id);
    if (!children)
        return report(err, children.error());
    auto str = [](std::string_view s) { return boost::json::serialize(boost::json::string_view(s.data(), s.size())); };
    if (format == ExportFormat::jsonl) {
        out.print(
            R"({{"type":"session","id":{},"cwd":{},"model":{},"title":{},"created_at":{},"updated_at":{},"event_count":{}{}}})"
            "\n",
            str(info->id), str(info->cwd), str(info->model), str(info->title), info->created_at, info->updated_at,
            info->event_count, jsonl_links(*info, *children));
    } else {
        out.print("# {}\n\n- Session: `{}`\n- Directory: `{}`\n- Model: {}\n- Started: {}\n",
            info->title.empty() ? "Untitled session" : info->title, info->id, info->cwd,
            info->model.empty() ? "-" : info->model, local_time(info->created_at, "%Y-%m-%d %H:%M:%S %Z"));
        markdown_links(out, *info, *children);
        out.print("\n");
    }
    mem::Arena scratch(arena, "event");
    store::ReplyText joined(arena);
    Result<void> r = store.load_events(*id, 0, [&](const Event& e) -> Result<void> {
        if (format == ExportFormat::jsonl) {
            out.print(R"({{"type":"event","seq":{},"kind":"{}","created_at":{},"data":{}}})"
                      "\n",
                e.seq, store::to_string(e.kind), e.created_at, e.data);
            return {};
        }
        Result<bool> batch = joined.take(scratch, e);
        scratch.reset();
        if (!batch)
            return fail(corrupt(e, batch.error()));
        if (Result<void> written = markdown_event(out, scratch, e, joined); !written)
            return fail(corrupt(e, written.error()));
        scratch.reset();
        return {};
    });
    if (!r)
        return report(err, r.error());
    return exit_ok;
}

} // namespace ik::app
