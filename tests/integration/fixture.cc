#include "fixture.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

namespace ik::testing {

std::string json_escape(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string read_text(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string IkTest::tool_result_sent() const
{
    auto requests = m_mock->requests();
    if (requests.size() < 2)
        return {};
    const std::string& r = requests[1];
    auto from = r.find("\"tool_result\"");
    auto to = r.find("\"tools\":");
    return from == std::string::npos ? r : r.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

std::string wire_name(Wire w)
{
    switch (w) {
    case Wire::openai_chat:
        return "openai_chat";
    case Wire::openai_responses:
        return "openai_responses";
    case Wire::anthropic:
        return "anthropic";
    case Wire::gemini:
        return "gemini";
    }
    return "?";
}

std::string IkTest::ik_binary()
{
    const char* p = std::getenv("IK_BINARY");
    return p ? p : "ik";
}

std::string IkTest::mock_binary()
{
    const char* p = std::getenv("IK_MOCKLLM");
    return p ? p : "ik-mockllm";
}

void IkTest::SetUp()
{
    ASSERT_FALSE(m_tmp.path().empty());
    for (const char* d : { "home", "config", "data", "mock", "work" })
        std::filesystem::create_directories(m_tmp.path() + "/" + d);
    m_config_dir = m_tmp.path() + "/config/ik";
    std::filesystem::create_directories(m_config_dir);
    write_config(R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 2, "max_retries": 3, "backoff_base_ms": 20}})");
}

std::string IkTest::work_dir() const
{
    return m_tmp.path() + "/work";
}

void IkTest::write_work_file(const std::string& relative, const std::string& text)
{
    std::ofstream(work_dir() + "/" + relative) << text;
}

void IkTest::write_config(const std::string& json)
{
    write_file("config.json", json);
}

void IkTest::write_file(const std::string& relative, const std::string& text, int mode)
{
    std::string path = m_config_dir + "/" + relative;
    std::ofstream(path) << text;
    ::chmod(path.c_str(), static_cast<mode_t>(mode));
}

void IkTest::start_mock(const std::string& script)
{
    m_mock = std::make_unique<MockLlm>(mock_binary(), m_tmp.path() + "/mock", script);
    ASSERT_TRUE(m_mock->ok()) << "ik-mockllm did not start";
}

std::map<std::string, std::string> IkTest::env_for(Wire wire) const
{
    switch (wire) {
    case Wire::openai_chat:
    case Wire::openai_responses:
        return { { "OPENAI_BASE_URL", m_mock->base_url("/v1") }, { "OPENAI_API_KEY", "test-openai" } };
    case Wire::anthropic:
        return { { "ANTHROPIC_BASE_URL", m_mock->base_url("/v1") }, { "ANTHROPIC_API_KEY", "test-anthropic" } };
    case Wire::gemini:
        return { { "GEMINI_BASE_URL", m_mock->base_url("/v1beta") }, { "GEMINI_API_KEY", "test-gemini" } };
    }
    return {};
}

std::string IkTest::model_for(Wire wire) const
{
    switch (wire) {
    case Wire::openai_chat:
        return "openai/gpt-test";
    case Wire::openai_responses:
        return "openai-responses/gpt-test";
    case Wire::anthropic:
        return "anthropic/claude-test";
    case Wire::gemini:
        return "google/gemini-test";
    }
    return "";
}

RunResult IkTest::ik(std::vector<std::string> args, std::map<std::string, std::string> env, RunOptions options)
{
    env["HOME"] = m_tmp.path() + "/home";
    env["XDG_CONFIG_HOME"] = m_tmp.path() + "/config";
    env["XDG_DATA_HOME"] = m_tmp.path() + "/data";
    // Never find a developer's real Ollama.
    if (!env.contains("OLLAMA_HOST"))
        env["OLLAMA_HOST"] = "127.0.0.1:9";
    options.args = std::move(args);
    options.env = std::move(env);
    if (options.cwd.empty())
        options.cwd = work_dir();
    return run_process(ik_binary(), options);
}

RunResult IkTest::ik_for(Wire wire, std::vector<std::string> args, RunOptions options)
{
    args.insert(args.begin(), { "--model", model_for(wire) });
    return ik(std::move(args), env_for(wire), std::move(options));
}

} // namespace ik::testing
