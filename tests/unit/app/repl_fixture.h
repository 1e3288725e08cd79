// A ReplUi driven without a terminal: a scripted model, a real SQLite store
// in a temp dir, a sink recording the bytes of every frame, and feed() for
// keys as a tty would send them.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "app/repl/repl_ui.h"
#include "support/matchers.h"
#include "unit/agent/fake_model.h"

namespace ik::app::test {

class RecordingSink final : public tui::ByteSink {
public:
    Result<void> write(std::string_view bytes) override
    {
        total += bytes.size();
        writes += 1;
        return {};
    }
    size_t total = 0;
    size_t writes = 0;
};

class ReplTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        char tmpl[] = "/tmp/ik-repl-test-XXXXXX";
        dir = std::filesystem::path(::mkdtemp(tmpl));
        work = dir / "work";
        std::filesystem::create_directories(work);
        auto s = store::open_store("", (dir / "ik.db").string());
        ASSERT_THAT(s, ::ik::testing::IsOk());
        db = std::move(*s);
    }
    void TearDown() override
    {
        if (ui)
            ui->shutdown();
        ui.reset();
        deps.reset();
        db.reset();
        std::filesystem::remove_all(dir);
    }

    agent::SessionSettings settings(agent::ApprovalMode mode = agent::ApprovalMode::yolo)
    {
        agent::SessionSettings s;
        s.model_spec = "fake/model";
        s.model = "model";
        s.system_prompt = "You are ik.";
        s.cwd = work;
        s.approval.mode = mode;
        s.approval.project_root = work;
        return s;
    }

    void open(agent::SessionSettings s, std::string resume = {})
    {
        deps.emplace(ReplDeps{ loop, *db, model, arena, std::move(s) });
        deps->resume_id = std::move(resume);
        deps->history_path = (dir / "history").string();
        deps->resolve_model = [](std::string_view spec) -> Result<ModelChoice> {
            if (!spec.starts_with("fake/"))
                return fail(ErrorCode::config, "unknown provider in '{}'", spec);
            return ModelChoice{ std::string(spec), std::string(spec.substr(5)) };
        };
        ui = std::make_unique<ReplUi>(*deps, sink, ReplUi::Hooks{ .suspend = [this] { suspended += 1; } });
        ui->set_record_frames(true);
        ASSERT_THAT(ui->start(), ::ik::testing::IsOk());
        ui->set_size({ 24, 80 });
    }

    // Runs the loop until `pred` or a 3 s deadline; false on timeout.
    bool run_until(const std::function<bool()>& pred)
    {
        auto deadline = Loop::now() + std::chrono::seconds(3);
        auto r = loop.run_until([&] { return pred() || Loop::now() > deadline; });
        return r.has_value() && pred();
    }
    // Until the session is idle and every pending frame is drawn.
    void settle()
    {
        EXPECT_TRUE(run_until([&] { return !ui->session().busy(); }));
        (void)loop.run_once(0);
        ui->draw_now();
    }
    bool scrollback_has(std::string_view text) const { return ui->scrollback_text().find(text) != std::string::npos; }
    bool frame_has(std::string_view text) const { return ui->frame_text().find(text) != std::string::npos; }

    std::filesystem::path dir;
    std::filesystem::path work;
    Loop loop;
    mem::Arena arena{ "test" };
    std::unique_ptr<store::Store> db;
    agent::test::FakeModel model{ loop };
    RecordingSink sink;
    std::optional<ReplDeps> deps;
    std::unique_ptr<ReplUi> ui;
    int suspended = 0;
};

} // namespace ik::app::test
