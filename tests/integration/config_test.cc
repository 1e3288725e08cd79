// Configuration errors and the no-credentials path, through the real binary.
#include <filesystem>
#include <fstream>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(IkTest, FirstRunWritesTheDefaultConfig)
{
    std::filesystem::remove(m_config_dir + "/config.json");
    RunResult r = ik({ "config" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(m_config_dir + "/config.json"));
    EXPECT_THAT(r.out, HasSubstr("\"model\": \"anthropic/claude-sonnet-4-5\""));
}

TEST_F(IkTest, ConfigCommandRedactsSecrets)
{
    write_file("credentials.json", R"({"openai": {"api_key": "sk-secret-file"}})", 0600);
    RunResult r
        = ik({ "config" }, { { "ANTHROPIC_API_KEY", "sk-secret-env" }, { "IK_DATABASE_URL", "postgres://u:pw@h/db" } });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("<redacted>"));
    EXPECT_THAT(r.out, Not(HasSubstr("sk-secret")));
    EXPECT_THAT(r.out, Not(HasSubstr("pw@")));
}

TEST_F(IkTest, SyntaxErrorNamesFileLineAndColumn)
{
    write_config("{\n  \"model\": \"anthropic/x\",\n  \"thinking\" \"high\"\n}\n");
    RunResult r = ik({ "-p", "x" });
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_THAT(r.err, HasSubstr(m_config_dir + "/config.json:3:14"));
}

TEST_F(IkTest, WrongTypeAndUnknownKeyNameThePath)
{
    write_config(R"({"http": {"max_retries": "three"}})");
    RunResult r = ik({ "config" });
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_THAT(r.err, HasSubstr("http.max_retries: expected integer, got string"));
    write_config(R"({"modle": "openai/gpt-5"})");
    r = ik({ "config" });
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_THAT(r.err, HasSubstr("unknown key 'modle' (did you mean 'model'?)"));
}

TEST_F(IkTest, WorldReadableCredentialsAreRefused)
{
    write_file("credentials.json", R"({"anthropic": {"api_key": "sk-x"}})", 0644);
    RunResult r = ik({ "-p", "x" });
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_THAT(r.err, HasSubstr("chmod 600 " + m_config_dir + "/credentials.json"));
}

TEST_F(IkTest, CredentialsFileKeyIsSent)
{
    write_file("credentials.json", R"({"anthropic": {"api_key": "sk-from-file"}})", 0600);
    start_mock(R"([{"steps": [{"text": "ok"}]}])");
    RunResult r
        = ik({ "-p", "x", "--model", "anthropic/claude-test" }, { { "ANTHROPIC_BASE_URL", m_mock->base_url() } });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(m_mock->requests().size(), 1u);
    EXPECT_THAT(m_mock->requests()[0], HasSubstr("sk-from-file"));
}

TEST_F(IkTest, NoCredentialsAtAllPrintsATwoLineHint)
{
    RunResult r = ik({ "-p", "x" });
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_THAT(r.err, HasSubstr("ANTHROPIC_API_KEY"));
    EXPECT_THAT(r.err, HasSubstr("OPENAI_BASE_URL"));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 2);
}

TEST_F(IkTest, NoCredentialsFallsBackToALocalServer)
{
    // The mock plays Ollama: an OpenAI-compatible server on the probed port.
    start_mock(R"([{"steps": [{"text": "local answer"}]}])");
    RunResult r = ik({ "-p", "x" }, { { "OLLAMA_HOST", "127.0.0.1:" + std::to_string(m_mock->port()) } });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "local answer\n");
    EXPECT_THAT(r.err, HasSubstr("using the local server"));
    // One chat request (and, before it, Ollama's /api/show for the model's window).
    auto requests = m_mock->requests();
    EXPECT_EQ(std::count_if(requests.begin(), requests.end(),
                  [](const std::string& req) { return req.find("/v1/chat/completions") != std::string::npos; }),
        1);
}

TEST_F(IkTest, UsageErrorsExit2)
{
    RunResult r = ik({ "--output-format", "xml", "-p", "x" });
    EXPECT_EQ(r.exit_code, 2);
    r = ik({ "--no-such-flag" });
    EXPECT_EQ(r.exit_code, 2);
}

TEST_F(IkTest, VersionPrintsOneLineAloneOrWithOtherArguments)
{
    RunResult alone = ik({ "--version" });
    EXPECT_EQ(alone.exit_code, 0);
    EXPECT_THAT(alone.out, ::testing::MatchesRegex("ik [0-9]+\\.[0-9]+\\.[0-9]+\n"));
    EXPECT_EQ(ik({ "-V" }).out, alone.out);
    // With other arguments CLI11 parses the line (the fast path is for the
    // flag alone) and says the same.
    RunResult mixed = ik({ "--model", "openai/x", "--version" });
    EXPECT_EQ(mixed.exit_code, 0);
    EXPECT_EQ(mixed.out, alone.out);
    EXPECT_TRUE(alone.err.empty()) << alone.err;
}

TEST_F(IkTest, HelpDescribesHeadlessMode)
{
    RunResult r = ik({ "--help" });
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.out, HasSubstr("--print"));
    EXPECT_THAT(r.out, HasSubstr("--output-format"));
    EXPECT_THAT(r.out, HasSubstr("config"));
}
