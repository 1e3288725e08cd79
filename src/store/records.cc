#include "store/records.h"

#include <array>

#include "core/json.h"
#include "store/internal/json_writer.h"

namespace ik::store {

namespace {

using internal::JsonWriter;

constexpr std::array<std::string_view, 4> state_names = { "ran", "denied", "cancelled", "failed" };

// A record's fields, read tolerantly: absent or null means the default; the
// wrong type is an error naming the field.
class Reader {
public:
    Reader(const json::value& v)
        : m_field(v)
    {
    }

    Result<std::string_view> string(std::string_view key) const
    {
        json::Field f = m_field[key];
        if (f.is_null())
            return std::string_view{};
        return f.string();
    }
    Result<int64_t> integer(std::string_view key) const
    {
        json::Field f = m_field[key];
        if (f.is_null())
            return int64_t{ 0 };
        return f.integer();
    }
    Result<std::optional<int64_t>> optional_integer(std::string_view key) const
    {
        json::Field f = m_field[key];
        if (f.is_null())
            return std::optional<int64_t>();
        return std::optional<int64_t>(TRY(f.integer()));
    }
    Result<std::optional<double>> optional_number(std::string_view key) const
    {
        json::Field f = m_field[key];
        if (f.is_null())
            return std::optional<double>();
        return std::optional<double>(TRY(f.number()));
    }
    Result<bool> boolean(std::string_view key) const
    {
        json::Field f = m_field[key];
        if (f.is_null())
            return false;
        return f.boolean();
    }
    json::Field operator[](std::string_view key) const { return m_field[key]; }

private:
    json::Field m_field;
};

// Parses `data` (an event's JSON object) into `arena`; errors name the kind.
Result<json::value> object_of(mem::Arena& arena, EventKind kind, std::string_view data)
{
    json::value v = TRY_CONTEXT(json::parse(arena, data, "event data"), "in a {} event", to_string(kind));
    if (!v.is_object())
        return fail(ErrorCode::invalid_argument, "{} event: expected a JSON object, got {}", to_string(kind),
            json::kind_name(v));
    return v;
}

template <typename R, typename Fill> Result<R> read(mem::Arena& arena, std::string_view data, Fill fill)
{
    json::value v = TRY(object_of(arena, R::kind, data));
    R r;
    TRY_CONTEXT(fill(Reader(v), r), "in a {} event", to_string(R::kind));
    return r;
}

void write_call(JsonWriter& w, const ToolCallRecord& c)
{
    w.field("id", c.id).field("name", c.name).field("arguments", c.arguments);
    if (!c.signature.empty())
        w.field("signature", c.signature);
}

Result<void> read_call(const Reader& in, ToolCallRecord& r)
{
    r.id = TRY(in.string("id"));
    r.name = TRY(in.string("name"));
    r.arguments = TRY(in.string("arguments"));
    r.signature = TRY(in.string("signature"));
    return {};
}

// Absent in events written before web search: no sources.
Result<std::span<const SourceRecord>> read_sources(mem::Arena& arena, json::Field list)
{
    if (list.is_null())
        return std::span<const SourceRecord>{};
    const json::array* items = TRY(list.as_array());
    auto* out = arena.make_array<SourceRecord>(items->size());
    for (size_t i = 0; i < items->size(); ++i) {
        const json::value& v = (*items)[i];
        if (!v.is_object())
            return fail(ErrorCode::invalid_argument, "sources[{}]: expected an object, got {}", i, json::kind_name(v));
        Reader item(v);
        ::new (&out[i]) SourceRecord{};
        out[i].url = TRY_CONTEXT(item.string("url"), "in sources[{}]", i);
        out[i].title = TRY_CONTEXT(item.string("title"), "in sources[{}]", i);
    }
    return std::span<const SourceRecord>(out, items->size());
}

size_t images_size(std::span<const ImageRecord> images)
{
    size_t n = 0;
    for (const ImageRecord& i : images)
        n += i.data.size() + i.name.size() + 64;
    return n;
}

void write_images(JsonWriter& w, std::span<const ImageRecord> images)
{
    if (images.empty())
        return;
    w.begin_array("images");
    for (const ImageRecord& i : images) {
        w.begin_object();
        w.field("media_type", i.media_type).field("name", i.name).field("data", i.data);
        w.end_object();
    }
    w.end_array();
}

// Each entry is checked for its fields' types; what the bytes are was checked
// when the image was read, and a provider refuses a forged one.
Result<std::span<const ImageRecord>> read_images(mem::Arena& arena, const Reader& in)
{
    json::Field list = in["images"];
    if (list.is_null())
        return std::span<const ImageRecord>{};
    const json::array* items = TRY(list.as_array());
    auto* out = arena.make_array<ImageRecord>(items->size());
    for (size_t i = 0; i < items->size(); ++i) {
        const json::value& v = (*items)[i];
        if (!v.is_object())
            return fail(ErrorCode::invalid_argument, "images[{}]: expected an object, got {}", i, json::kind_name(v));
        Reader r(v);
        ::new (&out[i]) ImageRecord{ .media_type = TRY_CONTEXT(r.string("media_type"), "in images[{}]", i),
            .name = TRY_CONTEXT(r.string("name"), "in images[{}]", i),
            .data = TRY_CONTEXT(r.string("data"), "in images[{}]", i) };
    }
    return std::span<const ImageRecord>{ out, items->size() };
}

} // namespace

std::string_view to_string(ToolState state)
{
    return state_names[static_cast<size_t>(state)];
}

std::optional<ToolState> parse_tool_state(std::string_view name)
{
    for (size_t i = 0; i < state_names.size(); ++i) {
        if (state_names[i] == name)
            return static_cast<ToolState>(i);
    }
    return std::nullopt;
}

// user

std::string_view UserRecord::to_json(mem::Arena& arena) const
{
    JsonWriter w(arena, text.size() + images_size(images));
    w.field("text", text);
    write_images(w, images);
    return w.finish();
}

Result<UserRecord> UserRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<UserRecord>(arena, data, [&arena](const Reader& in, UserRecord& r) -> Result<void> {
        r.text = TRY(in.string("text"));
        r.images = TRY(read_images(arena, in));
        return {};
    });
}

// tool_call

std::string_view ToolCallRecord::to_json(mem::Arena& arena) const
{
    JsonWriter w(arena, arguments.size());
    write_call(w, *this);
    return w.finish();
}

Result<ToolCallRecord> ToolCallRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<ToolCallRecord>(arena, data, read_call);
}

// assistant

std::string_view AssistantRecord::to_json(mem::Arena& arena) const
{
    size_t hint = text.size() + thinking.size() + signature.size();
    for (const ToolCallRecord& c : tool_calls)
        hint += c.arguments.size() + c.signature.size() + 64;
    for (const SourceRecord& src : sources)
        hint += src.url.size() + src.title.size() + 24;
    JsonWriter w(arena, hint);
    w.field("text", text).begin_array("tool_calls");
    for (const ToolCallRecord& c : tool_calls) {
        w.begin_object();
        write_call(w, c);
        w.end_object();
    }
    w.end_array().field("stop_reason", stop_reason);
    if (!thinking.empty())
        w.field("thinking", thinking).field("signature", signature);
    if (!sources.empty()) {
        w.begin_array("sources");
        for (const SourceRecord& src : sources)
            w.begin_object().field("url", src.url).field("title", src.title).end_object();
        w.end_array();
    }
    if (reply)
        w.field("reply", *reply);
    if (partials)
        w.field("partials", true);
    return w.finish();
}

Result<AssistantRecord> AssistantRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<AssistantRecord>(arena, data, [&arena](const Reader& in, AssistantRecord& r) -> Result<void> {
        r.text = TRY(in.string("text"));
        r.thinking = TRY(in.string("thinking"));
        r.signature = TRY(in.string("signature"));
        r.stop_reason = TRY(in.string("stop_reason"));
        r.sources = TRY(read_sources(arena, in["sources"]));
        r.reply = TRY(in.optional_integer("reply"));
        r.partials = TRY(in.boolean("partials"));
        json::Field list = in["tool_calls"];
        if (list.is_null())
            return {};
        const json::array* calls = TRY(list.as_array());
        auto* out = arena.make_array<ToolCallRecord>(calls->size());
        for (size_t i = 0; i < calls->size(); ++i) {
            const json::value& c = (*calls)[i];
            if (!c.is_object())
                return fail(
                    ErrorCode::invalid_argument, "tool_calls[{}]: expected an object, got {}", i, json::kind_name(c));
            ::new (&out[i]) ToolCallRecord{};
            TRY_CONTEXT(read_call(Reader(c), out[i]), "in tool_calls[{}]", i);
        }
        r.tool_calls = { out, calls->size() };
        return {};
    });
}

// assistant_partial

std::string_view AssistantPartialRecord::to_json(mem::Arena& arena) const
{
    return JsonWriter(arena, text.size()).field("reply", reply).field("text", text).finish();
}

Result<AssistantPartialRecord> AssistantPartialRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<AssistantPartialRecord>(arena, data, [](const Reader& in, AssistantPartialRecord& r) -> Result<void> {
        r.reply = TRY(in.integer("reply"));
        r.text = TRY(in.string("text"));
        return {};
    });
}

// thinking

std::string_view ThinkingRecord::to_json(mem::Arena& arena) const
{
    return JsonWriter(arena, text.size() + signature.size()).field("text", text).field("signature", signature).finish();
}

Result<ThinkingRecord> ThinkingRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<ThinkingRecord>(arena, data, [](const Reader& in, ThinkingRecord& r) -> Result<void> {
        r.text = TRY(in.string("text"));
        r.signature = TRY(in.string("signature"));
        return {};
    });
}

// tool_result

std::string_view ToolResultRecord::to_json(mem::Arena& arena) const
{
    JsonWriter w(arena, text.size() + images_size(images));
    w.field("id", id).field("name", name).field("text", text).field("is_error", is_error);
    w.field("summary", summary).field("state", to_string(state));
    if (exit_code)
        w.field("exit_code", *exit_code);
    write_images(w, images);
    return w.finish();
}

Result<ToolResultRecord> ToolResultRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<ToolResultRecord>(arena, data, [&arena](const Reader& in, ToolResultRecord& r) -> Result<void> {
        r.id = TRY(in.string("id"));
        r.images = TRY(read_images(arena, in));
        r.name = TRY(in.string("name"));
        r.text = TRY(in.string("text"));
        r.is_error = TRY(in.boolean("is_error"));
        r.summary = TRY(in.string("summary"));
        r.exit_code = TRY(in.optional_integer("exit_code"));
        std::string_view state_name = TRY(in.string("state"));
        if (!state_name.empty()) {
            std::optional<ToolState> s = parse_tool_state(state_name);
            if (!s)
                return fail(ErrorCode::invalid_argument, "state: unknown tool state \"{}\"", state_name);
            r.state = *s;
            return {};
        }
        // Events written before `state` existed: the turn marked denied and
        // cancelled calls with exactly these summaries; any other error
        // result was a failure.
        if (r.summary == "denied")
            r.state = ToolState::denied;
        else if (r.summary == "cancelled")
            r.state = ToolState::cancelled;
        else
            r.state = r.is_error ? ToolState::failed : ToolState::ran;
        return {};
    });
}

// approval

std::string_view ApprovalRecord::to_json(mem::Arena& arena) const
{
    JsonWriter w(arena, reason.size() + command.size() + path.size());
    w.field("call_id", call_id).field("tool", tool).field("verdict", verdict).field("source", source);
    w.field_if("rule", rule).field("reason", reason).field_if("command", command).field_if("path", path);
    return w.finish();
}

Result<ApprovalRecord> ApprovalRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<ApprovalRecord>(arena, data, [](const Reader& in, ApprovalRecord& r) -> Result<void> {
        r.call_id = TRY(in.string("call_id"));
        r.tool = TRY(in.string("tool"));
        r.verdict = TRY(in.string("verdict"));
        if (r.verdict.empty())
            r.verdict = TRY(in.string("decision")); // the name the old schema comment used
        r.source = TRY(in.string("source"));
        r.rule = TRY(in.string("rule"));
        r.reason = TRY(in.string("reason"));
        r.command = TRY(in.string("command"));
        r.path = TRY(in.string("path"));
        return {};
    });
}

// command

std::string_view CommandRecord::to_json(mem::Arena& arena) const
{
    return JsonWriter(arena, text.size()).field("text", text).finish();
}

Result<CommandRecord> CommandRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<CommandRecord>(arena, data, [](const Reader& in, CommandRecord& r) -> Result<void> {
        r.text = TRY(in.string("text"));
        return {};
    });
}

// mark

std::string_view MarkRecord::to_json(mem::Arena& arena) const
{
    JsonWriter w(arena);
    w.field("name", name);
    if (exchanges)
        w.field("exchanges", *exchanges);
    return w.finish();
}

Result<MarkRecord> MarkRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<MarkRecord>(arena, data, [](const Reader& in, MarkRecord& r) -> Result<void> {
        r.name = TRY(in.string("name"));
        r.exchanges = TRY(in.optional_integer("exchanges"));
        return {};
    });
}

// rewind

std::string_view RewindRecord::to_json(mem::Arena& arena) const
{
    return JsonWriter(arena).field("to_seq", to_seq).field("name", name).finish();
}

Result<RewindRecord> RewindRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<RewindRecord>(arena, data, [](const Reader& in, RewindRecord& r) -> Result<void> {
        r.to_seq = TRY(in.integer("to_seq"));
        r.name = TRY(in.string("name"));
        return {};
    });
}

// usage

std::string_view UsageRecord::to_json(mem::Arena& arena) const
{
    JsonWriter w(arena);
    w.field("input", input).field("output", output).field("cached", cached).field("reasoning", reasoning);
    if (cost_usd)
        w.field("cost_usd", *cost_usd);
    if (bytes_per_token)
        w.field("bytes_per_token", *bytes_per_token);
    return w.field_if("purpose", purpose).finish();
}

Result<UsageRecord> UsageRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<UsageRecord>(arena, data, [](const Reader& in, UsageRecord& r) -> Result<void> {
        r.input = TRY(in.integer("input"));
        r.output = TRY(in.integer("output"));
        r.cached = TRY(in.integer("cached"));
        r.reasoning = TRY(in.integer("reasoning"));
        r.cost_usd = TRY(in.optional_number("cost_usd"));
        r.purpose = TRY(in.string("purpose"));
        r.bytes_per_token = TRY(in.optional_number("bytes_per_token"));
        return {};
    });
}

// error

std::string_view ErrorRecord::to_json(mem::Arena& arena) const
{
    return JsonWriter(arena, text.size()).field("category", category).field("text", text).finish();
}

Result<ErrorRecord> ErrorRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<ErrorRecord>(arena, data, [](const Reader& in, ErrorRecord& r) -> Result<void> {
        r.category = TRY(in.string("category"));
        r.text = TRY(in.string("text"));
        return {};
    });
}

// interrupted

std::string_view InterruptedRecord::to_json(mem::Arena& arena) const
{
    JsonWriter w(arena, text.size());
    w.field("reason", reason).field("text", text);
    if (reply)
        w.field("reply", *reply);
    if (partials)
        w.field("partials", true);
    return w.finish();
}

Result<InterruptedRecord> InterruptedRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<InterruptedRecord>(arena, data, [](const Reader& in, InterruptedRecord& r) -> Result<void> {
        r.reason = TRY(in.string("reason"));
        r.text = TRY(in.string("text"));
        r.reply = TRY(in.optional_integer("reply"));
        r.partials = TRY(in.boolean("partials"));
        return {};
    });
}

// system

std::string_view SystemRecord::to_json(mem::Arena& arena) const
{
    return JsonWriter(arena, text.size()).field("text", text).finish();
}

Result<SystemRecord> SystemRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<SystemRecord>(arena, data, [](const Reader& in, SystemRecord& r) -> Result<void> {
        r.text = TRY(in.string("text"));
        return {};
    });
}

// eviction

std::string_view EvictionRecord::to_json(mem::Arena& arena) const
{
    return JsonWriter(arena).field("first_exchange", first_exchange).field("messages", messages).finish();
}

Result<EvictionRecord> EvictionRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<EvictionRecord>(arena, data, [](const Reader& in, EvictionRecord& r) -> Result<void> {
        r.first_exchange = TRY(in.integer("first_exchange"));
        r.messages = TRY(in.integer("messages"));
        return {};
    });
}

// compaction

std::string_view CompactionRecord::to_json(mem::Arena& arena) const
{
    JsonWriter w(arena, summary.size() + focus.size() + prunes.size() * 48);
    w.field("mode", mode).field("cut", cut).field("summary", summary).begin_array("prunes");
    for (const PruneRecord& p : prunes)
        w.begin_object().field("index", p.index).field("head", p.head).field("tail", p.tail).end_object();
    w.end_array()
        .field("before_tokens", before_tokens)
        .field("after_tokens", after_tokens)
        .field("reason", reason)
        .field_if("focus", focus);
    return w.finish();
}

Result<CompactionRecord> CompactionRecord::parse(mem::Arena& arena, std::string_view data)
{
    return read<CompactionRecord>(arena, data, [&arena](const Reader& in, CompactionRecord& r) -> Result<void> {
        r.mode = TRY(in.string("mode"));
        r.cut = TRY(in.integer("cut"));
        r.summary = TRY(in.string("summary"));
        r.before_tokens = TRY(in.integer("before_tokens"));
        r.after_tokens = TRY(in.integer("after_tokens"));
        r.reason = TRY(in.string("reason"));
        r.focus = TRY(in.string("focus"));
        json::Field list = in["prunes"];
        if (list.is_null())
            return {};
        const json::array* items = TRY(list.as_array());
        auto* out = arena.make_array<PruneRecord>(items->size());
        for (size_t i = 0; i < items->size(); ++i) {
            const json::value& p = (*items)[i];
            if (!p.is_object())
                return fail(
                    ErrorCode::invalid_argument, "prunes[{}]: expected an object, got {}", i, json::kind_name(p));
            Reader pr(p);
            ::new (&out[i]) PruneRecord{
                .index = TRY(pr.integer("index")), .head = TRY(pr.integer("head")), .tail = TRY(pr.integer("tail"))
            };
        }
        r.prunes = { out, items->size() };
        return {};
    });
}

} // namespace ik::store
