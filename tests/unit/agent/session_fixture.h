// The session fixture: a scripted model, the real tools and a real SQLite
// store (behind FailingStore, which can fail writes on demand) in a temp
// directory that the fixture removes.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "agent/session.h"
#include "support/matchers.h"
#include "unit/agent/failing_store.h"
#include "unit/agent/fake_model.h"

namespace ik::agent::test {

namespace fs = std::filesystem;

class Observer final : public SessionObserver {
public:
    std::string streamed;
    std::vector<std::string> tools_started;
    std::vector<ToolResult> results;
    std::vector<std::string> notices;
    std::optional<TurnOutcome> outcome;
    bool interactive = false;
    std::vector<UserAnswer> answers;
    std::vector<std::string> asked;
    std::vector<std::string> asked_agents; // ApprovalRequest::agent of each question

    void on_model_event(const llm::Event& e) override
    {
        if (e.kind == llm::StreamEventKind::text_delta)
            streamed += e.text;
    }
    void on_tool_start(const llm::ToolCall& c, const ApprovalRequest&) override { tools_started.emplace_back(c.name); }
    void on_tool_result(const llm::ToolCall&, const ToolResult& r) override { results.push_back(r); }
    void on_turn_end(const TurnOutcome& o) override { outcome = o; }
    void on_notice(std::string_view t) override { notices.emplace_back(t); }
    bool can_ask() const override { return interactive; }
    void ask_approval(const ApprovalRequest& r, std::function<void(UserAnswer)> answer) override
    {
        asked.push_back(r.preview.command);
        asked_agents.push_back(r.agent);
        UserAnswer a = answers.empty() ? UserAnswer::no : answers.front();
        if (!answers.empty())
            answers.erase(answers.begin());
        answer(a);
    }
};

class SessionTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        char tmpl[] = "/tmp/ik-session-test-XXXXXX";
        dir = fs::path(::mkdtemp(tmpl));
        work = dir / "work";
        fs::create_directories(work);
        auto s = store::open_store("", (dir / "ik.db").string());
        ASSERT_THAT(s, ::ik::testing::IsOk());
        auto wrapped = std::make_unique<FailingStore>(std::move(*s));
        failing = wrapped.get();
        db = std::move(wrapped);
    }
    void TearDown() override
    {
        session.reset();
        db.reset();
        fs::remove_all(dir);
    }

    SessionSettings settings(ApprovalMode mode = ApprovalMode::yolo)
    {
        SessionSettings s;
        s.model_spec = "fake/model";
        s.model = "model";
        s.system_prompt = "You are ik.";
        s.cwd = work;
        s.approval.mode = mode;
        s.approval.project_root = work;
        return s;
    }

    void open(SessionSettings s, std::string_view resume = {})
    {
        auto r = Session::create(SessionDeps{ loop, *db, model, observer, arena }, std::move(s), resume);
        ASSERT_THAT(r, ::ik::testing::IsOk());
        session = std::move(*r);
    }

    void run(std::string_view prompt)
    {
        observer.outcome.reset();
        ASSERT_THAT(session->submit(prompt), ::ik::testing::IsOk());
        ASSERT_THAT(loop.run_until([&] { return observer.outcome.has_value(); }), ::ik::testing::IsOk());
        // Let the retired turn be freed.
        ASSERT_THAT(loop.run_once(0), ::ik::testing::IsOk());
    }

    std::vector<std::string> event_kinds() { return event_kinds_of(std::string(session->id())); }
    std::vector<std::string> event_kinds_of(const std::string& id)
    {
        mem::Arena a(arena, "events");
        std::vector<std::string> out;
        auto events = db->load_events(a, id);
        EXPECT_THAT(events, ::ik::testing::IsOk());
        for (const auto& e : *events)
            out.emplace_back(store::to_string(e.kind));
        return out;
    }

    fs::path dir;
    fs::path work;
    Loop loop;
    mem::Arena arena{ "test" };
    std::unique_ptr<store::Store> db;
    FailingStore* failing = nullptr; // db, for injecting write failures
    FakeModel model{ loop };
    Observer observer;
    std::unique_ptr<Session> session;
};

} // namespace ik::agent::test
