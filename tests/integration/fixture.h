// The integration fixture: a private HOME / XDG_CONFIG_HOME / XDG_DATA_HOME
// per test, a config.json with short timeouts and fast retries, one
// ik-mockllm per test, and helpers to run the real ik binary against it.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/mock_llm.h"
#include "support/process.h"

namespace ik::testing {

enum class Wire { openai_chat, openai_responses, anthropic, gemini };
std::string wire_name(Wire w);

// JSON string contents for `text` (quotes, backslashes and newlines escaped).
std::string json_escape(std::string_view text);
// A whole file's text ("" when it cannot be read).
std::string read_text(const std::string& path);

class IkTest : public ::testing::Test {
protected:
    void SetUp() override;

    // The directory ik runs in (its project): a fresh temp dir per test.
    std::string work_dir() const;
    void write_work_file(const std::string& relative, const std::string& text);

    // Overwrites config.json.
    void write_config(const std::string& json);
    void write_file(const std::string& relative, const std::string& text, int mode = 0644);

    // Starts the mock with `script` (a JSON list of responses).
    void start_mock(const std::string& script);

    // Environment pointing `wire` at the mock, with a test key.
    std::map<std::string, std::string> env_for(Wire wire) const;
    std::string model_for(Wire wire) const;

    RunResult ik(std::vector<std::string> args, std::map<std::string, std::string> env = {}, RunOptions options = {});
    RunResult ik_for(Wire wire, std::vector<std::string> args, RunOptions options = {});

    // The tool result the mock was sent back (the second request, from its
    // first tool_result on, without the tool list or ik's own headers);
    // empty when there was no second request.
    std::string tool_result_sent() const;

    static std::string ik_binary();
    static std::string mock_binary();

    TempDir m_tmp;
    std::string m_config_dir;
    std::unique_ptr<MockLlm> m_mock;
};

} // namespace ik::testing
