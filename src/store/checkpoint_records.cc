// The checkpoint and undo records (declared in store/records.h), kept apart
// from records.cc so that file stays about the conversation's events.
#include <fmt/format.h>

#include "core/json.h"
#include "store/internal/json_writer.h"
#include "store/records.h"

namespace ik::store {

namespace {

Result<json::value> object_of(mem::Arena& arena, EventKind kind, std::string_view data)
{
    json::value v = TRY_CONTEXT(json::parse(arena, data, "event data"), "in a {} event", to_string(kind));
    if (!v.is_object())
        return fail(ErrorCode::invalid_argument, "{} event: expected a JSON object, got {}", to_string(kind),
            json::kind_name(v));
    return v;
}

// Absent or null: the default; the wrong type: an error naming the field.
Result<std::string_view> string_of(json::Field f)
{
    return f.is_null() ? Result<std::string_view>(std::string_view{}) : f.string();
}
Result<int64_t> integer_of(json::Field f)
{
    return f.is_null() ? Result<int64_t>(int64_t{ 0 }) : f.integer();
}

} // namespace

std::string_view CheckpointRecord::to_json(mem::Arena& arena) const
{
    internal::JsonWriter w(arena, prompt.size() + project.size() + 160 + files.size() * 40);
    w.field("project", project)
        .field("pre", pre)
        .field("post", post)
        .field("ref", ref)
        .field("prompt", prompt)
        .field("files_total", files_total)
        .begin_array("files");
    for (const CheckpointFile& f : files)
        w.begin_object().field("change", f.change).field("path", f.path).end_object();
    w.end_array();
    return w.finish();
}

Result<CheckpointRecord> CheckpointRecord::parse(mem::Arena& arena, std::string_view data)
{
    json::value v = TRY(object_of(arena, kind, data));
    json::Field in(v);
    CheckpointRecord r;
    auto fill = [&]() -> Result<void> {
        r.project = TRY(string_of(in["project"]));
        r.pre = TRY(string_of(in["pre"]));
        r.post = TRY(string_of(in["post"]));
        r.ref = TRY(string_of(in["ref"]));
        r.prompt = TRY(string_of(in["prompt"]));
        r.files_total = TRY(integer_of(in["files_total"]));
        if (in["files"].is_null())
            return {};
        const json::array* items = TRY(in["files"].as_array());
        auto* out = arena.make_array<CheckpointFile>(items->size());
        for (size_t i = 0; i < items->size(); ++i) {
            json::Field f = in["files"][i];
            out[i] = CheckpointFile{ .change = TRY(string_of(f["change"])), .path = TRY(string_of(f["path"])) };
        }
        r.files = { out, items->size() };
        return {};
    };
    TRY_CONTEXT(fill(), "in a checkpoint event");
    return r;
}

std::string_view UndoRecord::to_json(mem::Arena& arena) const
{
    return internal::JsonWriter(arena)
        .field("checkpoint", checkpoint)
        .field("files", files)
        .field("forced", forced)
        .finish();
}

Result<UndoRecord> UndoRecord::parse(mem::Arena& arena, std::string_view data)
{
    json::value v = TRY(object_of(arena, kind, data));
    json::Field in(v);
    UndoRecord r;
    auto fill = [&]() -> Result<void> {
        r.checkpoint = TRY(integer_of(in["checkpoint"]));
        r.files = TRY(integer_of(in["files"]));
        r.forced = in["forced"].is_null() ? false : TRY(in["forced"].boolean());
        return {};
    };
    TRY_CONTEXT(fill(), "in an undo event");
    return r;
}

} // namespace ik::store
