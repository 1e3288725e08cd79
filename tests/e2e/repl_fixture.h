// The REPL end to end: the real ik binary in a tmux pane (a real pty), its
// model served by ik-mockllm on loopback. HOME and the XDG directories are
// private temp dirs; every wait polls the pane with a timeout.
//
// Owns per test: the temp tree, the mock server and the tmux server (all
// stopped and removed when the fixture is destroyed).
#pragma once

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/mock_llm.h"
#include "support/process.h"
#include "tmux.h"

namespace ik::testing {

inline std::string env_or(const char* name, const char* fallback)
{
    const char* p = std::getenv(name);
    return p ? p : fallback;
}

class ReplE2e : public ::testing::Test {
protected:
    // Starts the mock with `script` and a shell in a 100x30 pane.
    void start(const std::string& script, int cols = 100, int rows = 30, const std::string& extra_env = "")
    {
        root = m_tmp.path();
        for (const char* d : { "home", "config/ik", "data", "mock", "work" })
            std::filesystem::create_directories(root + "/" + d);
        std::ofstream(root + "/config/ik/config.json")
            << R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 10, "max_retries": 1, "backoff_base_ms": 20}})";
        mock = std::make_unique<MockLlm>(env_or("IK_MOCKLLM", "ik-mockllm"), root + "/mock", script);
        ASSERT_TRUE(mock->ok());
        std::string shell
            = fmt::format("cd {0}/work && exec env -i HOME={0}/home XDG_CONFIG_HOME={0}/config XDG_DATA_HOME={0}/data "
                          "LANG=C.UTF-8 TERM=xterm-256color PATH=/usr/bin:/bin OPENAI_BASE_URL={1} OPENAI_API_KEY=test "
                          "ASAN_OPTIONS=detect_leaks=1 PS1='ik-e2e$ ' {2} bash --norc --noprofile",
                root, mock->base_url("/v1"), extra_env);
        tmux = std::make_unique<Tmux>(shell, cols, rows);
        ASSERT_TRUE(tmux->ok());
        ASSERT_TRUE(tmux->wait_for("ik-e2e$")) << tmux->screen();
    }

    // Runs ik in the pane, remembering the tty settings before it and its pid.
    void launch(const std::string& args = "")
    {
        tmux->type(fmt::format("clear; stty -g > {0}/tty.before; sh -c 'echo $$ > {0}/ik.pid; exec {1} --model "
                               "openai/gpt-test {2}'; echo ik-exit=$?",
            root, env_or("IK_BINARY", "ik"), args));
        tmux->keys({ "Enter" });
        ASSERT_TRUE(tmux->wait_for("/help for commands", std::chrono::seconds(15))) << tmux->screen();
    }

    // After ik ended: the shell prompt is back (alternate screen left) and
    // the tty settings are exactly those from before.
    void expect_restored(const std::string& exit_text)
    {
        if (exit_text.empty())
            ASSERT_TRUE(tmux->wait_gone("/help for commands")) << tmux->screen();
        else
            ASSERT_TRUE(tmux->wait_for(exit_text)) << tmux->screen();
        EXPECT_THAT(tmux->screen(), ::testing::Not(::testing::HasSubstr("/help for commands")));
        tmux->type(fmt::format("stty -g > {0}/tty.after; cmp -s {0}/tty.before {0}/tty.after && echo TTY-SAME", root));
        tmux->keys({ "Enter" });
        EXPECT_TRUE(tmux->wait_for("\nTTY-SAME")) << tmux->screen();
    }

    void send(const std::string& text)
    {
        tmux->type(text);
        tmux->keys({ "Enter" });
    }

    pid_t ik_pid()
    {
        std::ifstream in(root + "/ik.pid");
        pid_t pid = 0;
        in >> pid;
        return pid;
    }

    TempDir m_tmp;
    std::string root;
    std::unique_ptr<MockLlm> mock;
    std::unique_ptr<Tmux> tmux;
};

} // namespace ik::testing
