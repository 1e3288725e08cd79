// A scripted Model for turn-loop tests: each start() plays the next round's
// events from the loop, then reports the round's outcome. It also keeps a
// copy of every request so tests can check what the provider would see.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "agent/model.h"
#include "core/loop.h"

namespace ik::agent::test {

struct ScriptedEvent {
    llm::StreamEventKind kind = llm::StreamEventKind::text_delta;
    std::string text;
    std::string id;
    std::string name;
    int index = 0;
    llm::FinishReason finish = llm::FinishReason::stop;
    llm::Usage usage{};
};

struct ScriptedRound {
    std::vector<ScriptedEvent> events;
    bool stall = false; // after the events, wait for cancel()
    std::optional<Error> fail;
};

inline ScriptedEvent make_event(llm::StreamEventKind kind, std::string text = {}, int index = 0)
{
    ScriptedEvent e;
    e.kind = kind;
    e.text = std::move(text);
    e.index = index;
    return e;
}
inline ScriptedRound reply(std::vector<ScriptedEvent> events)
{
    ScriptedRound r;
    r.events = std::move(events);
    return r;
}
inline ScriptedEvent text(std::string t)
{
    return make_event(llm::StreamEventKind::text_delta, std::move(t));
}
inline ScriptedEvent thinking(std::string t)
{
    return make_event(llm::StreamEventKind::thinking_delta, std::move(t));
}
inline ScriptedEvent finish(llm::FinishReason r)
{
    ScriptedEvent e = make_event(llm::StreamEventKind::finish);
    e.finish = r;
    return e;
}
inline ScriptedEvent usage(int64_t in, int64_t out)
{
    ScriptedEvent e = make_event(llm::StreamEventKind::usage);
    e.usage = { in, out, 0, 0 };
    return e;
}
// A whole tool call: start, arguments in two fragments, end.
inline std::vector<ScriptedEvent> tool_call(int index, std::string id, std::string name, std::string args)
{
    size_t half = args.size() / 2;
    ScriptedEvent start = make_event(llm::StreamEventKind::tool_call_start, {}, index);
    start.id = std::move(id);
    start.name = std::move(name);
    ScriptedEvent a = make_event(llm::StreamEventKind::tool_call_delta, args.substr(0, half), index);
    ScriptedEvent b = make_event(llm::StreamEventKind::tool_call_delta, args.substr(half), index);
    ScriptedEvent end = make_event(llm::StreamEventKind::tool_call_end, {}, index);
    return { start, a, b, end };
}

struct SeenMessage {
    llm::Role role = llm::Role::user;
    std::string text;
    std::string thinking;
    std::vector<std::string> calls; // "id name args"
    std::string tool_call_id;
    bool is_error = false;
    bool operator==(const SeenMessage&) const = default;
};

inline std::vector<SeenMessage> snapshot(std::span<const llm::Message> messages)
{
    std::vector<SeenMessage> out;
    for (const auto& m : messages) {
        SeenMessage s;
        s.role = m.role;
        s.text = m.text;
        s.thinking = m.thinking;
        s.tool_call_id = m.tool_call_id;
        s.is_error = m.is_error;
        for (const auto& c : m.tool_calls)
            s.calls.push_back(fmt::format("{} {} {}", c.id, c.name, c.arguments));
        out.push_back(std::move(s));
    }
    return out;
}

class FakeModel final : public Model {
public:
    explicit FakeModel(Loop& loop)
        : m_loop(loop)
    {
    }

    std::deque<ScriptedRound> rounds;
    std::vector<std::vector<SeenMessage>> requests;
    std::vector<std::string> systems;

    std::unique_ptr<ModelCall> start(const llm::Request& request, llm::StreamSink& sink, ModelDone done) override
    {
        requests.push_back(snapshot(request.messages));
        systems.emplace_back(request.system);
        ScriptedRound round;
        if (!rounds.empty()) {
            round = std::move(rounds.front());
            rounds.pop_front();
        } else {
            round.events = { text("(script exhausted)"), finish(llm::FinishReason::stop) };
        }
        auto call = std::make_unique<Call>(m_loop, sink, std::move(done), std::move(round));
        call->begin();
        return call;
    }

private:
    class Call final : public ModelCall {
    public:
        Call(Loop& loop, llm::StreamSink& sink, ModelDone done, ScriptedRound round)
            : m_loop(loop)
            , m_sink(sink)
            , m_done(std::move(done))
            , m_round(std::move(round))
        {
        }
        ~Call() override
        {
            if (m_timer)
                m_loop.cancel(*m_timer);
        }
        void begin()
        {
            m_timer = m_loop.after(std::chrono::milliseconds(0), [this] { play(); });
        }
        void cancel() override
        {
            if (m_finished)
                return;
            if (m_timer)
                m_loop.cancel(*m_timer);
            m_timer = m_loop.after(std::chrono::milliseconds(0), [this] {
                m_timer.reset();
                complete(fail(ErrorCode::interrupted, "cancelled"));
            });
        }

    private:
        void play()
        {
            m_timer.reset();
            for (const auto& s : m_round.events) {
                llm::Event e;
                e.kind = s.kind;
                e.text = s.text;
                e.id = s.id;
                e.name = s.name;
                e.index = s.index;
                e.finish = s.finish;
                e.usage = s.usage;
                if (auto r = m_sink.on_event(e); !r) {
                    complete(fail(r.error()));
                    return;
                }
            }
            if (m_round.stall)
                return;
            if (m_round.fail)
                complete(fail(*m_round.fail));
            else
                complete({});
        }
        void complete(Result<void> r)
        {
            if (m_finished)
                return;
            m_finished = true;
            auto done = std::move(m_done);
            done(std::move(r));
        }

        Loop& m_loop;
        llm::StreamSink& m_sink;
        ModelDone m_done;
        ScriptedRound m_round;
        std::optional<Loop::TimerId> m_timer;
        bool m_finished = false;
    };

    Loop& m_loop;
};

} // namespace ik::agent::test
