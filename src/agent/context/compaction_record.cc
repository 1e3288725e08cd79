#include "agent/context/compaction_record.h"

#include <boost/json/serialize.hpp>

#include "agent/conversation.h"
#include "core/json.h"

namespace ik::agent {

std::string_view to_string(CompactionMode mode)
{
    switch (mode) {
    case CompactionMode::prune:
        return "prune";
    case CompactionMode::summary:
        return "summary";
    case CompactionMode::sliding:
        return "sliding";
    }
    return "prune";
}

std::string CompactionRecord::to_json() const
{
    boost::json::array p;
    for (const Prune& x : prunes)
        p.push_back(boost::json::array{ x.index, x.head, x.tail });
    boost::json::object o{ { "mode", to_string(mode) }, { "cut", cut }, { "summary", summary }, { "prunes", p },
        { "before_tokens", before_tokens }, { "after_tokens", after_tokens }, { "reason", reason } };
    if (!focus.empty())
        o["focus"] = focus;
    return boost::json::serialize(o);
}

Result<CompactionRecord> CompactionRecord::parse(std::string_view text)
{
    mem::Arena arena(mem::root(), "compaction-record");
    json::value v = TRY(json::parse(arena, text, "compaction event"));
    json::Field f(v);
    CompactionRecord r;
    std::string_view mode = f["mode"].string_or("prune");
    r.mode = mode == "summary" ? CompactionMode::summary
        : mode == "sliding"    ? CompactionMode::sliding
                               : CompactionMode::prune;
    r.cut = static_cast<size_t>(std::max<int64_t>(0, f["cut"].integer_or(0)));
    r.summary = std::string(f["summary"].string_or(""));
    json::Field prunes = f["prunes"];
    for (size_t i = 0; i < prunes.size(); ++i) {
        int64_t index = prunes[i][0].integer_or(-1);
        int64_t head = prunes[i][1].integer_or(-1);
        int64_t tail = prunes[i][2].integer_or(-1);
        if (index < 0 || head < 0 || tail < 0)
            return fail(ErrorCode::parse, "compaction event: prunes[{}] is not [index, head, tail]", i);
        r.prunes.push_back(Prune{ static_cast<size_t>(index), static_cast<size_t>(head), static_cast<size_t>(tail) });
    }
    r.before_tokens = f["before_tokens"].integer_or(0);
    r.after_tokens = f["after_tokens"].integer_or(0);
    r.reason = std::string(f["reason"].string_or(""));
    r.focus = std::string(f["focus"].string_or(""));
    return r;
}

void apply_compaction(Conversation& conversation, const CompactionRecord& record)
{
    std::vector<Conversation::Replacement> texts;
    auto messages = conversation.messages();
    for (const Prune& p : record.prunes) {
        if (p.index >= messages.size() || messages[p.index].role != llm::Role::tool)
            continue;
        texts.push_back({ p.index, pruned_text(messages[p.index].text, p.head, p.tail) });
    }
    size_t cut = is_round_boundary(messages, record.cut) ? record.cut : 0;
    conversation.compact(cut, cut > 0 ? std::string_view(record.summary) : std::string_view(), texts);
}

} // namespace ik::agent
