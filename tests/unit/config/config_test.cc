#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "config/config.h"
#include "config/internal/suggest.h"
#include "config/model_spec.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::config;
using ik::testing::HasError;
using ik::testing::HasErrorMessage;
using ik::testing::IsOk;
using ::testing::HasSubstr;

namespace {

struct FakeEnv final : Environment {
    std::map<std::string, std::string, std::less<>> vars;
    std::string_view get(std::string_view name) const override
    {
        auto it = vars.find(name);
        return it == vars.end() ? std::string_view() : std::string_view(it->second);
    }
};

struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        char tmpl[] = "/tmp/ik-config-test-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

void write(const std::filesystem::path& p, std::string_view text, mode_t mode)
{
    std::ofstream(p) << text;
    ::chmod(p.c_str(), mode);
}

} // namespace

TEST(Config, DefaultFileTextParsesToTheDefaults)
{
    Config c = defaults();
    ASSERT_THAT(apply_file_text(c, default_file_text(), "config.json"), IsOk());
    EXPECT_EQ(c.model, "anthropic/claude-sonnet-4-5");
    EXPECT_EQ(c.max_tool_turns, 50);
    EXPECT_EQ(c.http.max_retries, 3);
}

TEST(Config, SyntaxErrorNamesFileLineColumn)
{
    Config c = defaults();
    auto r = apply_file_text(c, "{\n  \"model\": \"x\",\n  oops\n}", "/x/config.json");
    EXPECT_THAT(r, HasError(ErrorCode::config));
    EXPECT_THAT(r, HasErrorMessage(HasSubstr("/x/config.json:3:3")));
}

TEST(Config, DuplicateKeyIsAnErrorWithItsLine)
{
    Config c = defaults();
    auto r = apply_file_text(c, "{\n  \"model\": \"a/b\",\n  \"model\": \"c/d\"\n}", "/x/config.json");
    EXPECT_THAT(r, HasError(ErrorCode::config));
    EXPECT_THAT(r, HasErrorMessage(HasSubstr("/x/config.json:3:")));
    EXPECT_THAT(r, HasErrorMessage(HasSubstr("duplicate key 'model'")));
}

TEST(Config, LimitsAndTimeouts)
{
    Config c = defaults();
    EXPECT_EQ(c.limits.sse_line_kb, 4096);
    EXPECT_EQ(c.limits.reply_mb, 8);
    EXPECT_EQ(c.timeouts.reply_s, 1800);
    ASSERT_THAT(apply_file_text(c, R"({"limits": {"sse_line_kb": 64, "sse_event_kb": 128, "reply_mb": 1},
        "timeouts": {"reply_s": 60}})",
                    "config.json"),
        IsOk());
    EXPECT_EQ(c.limits.sse_line_kb, 64);
    EXPECT_EQ(c.limits.sse_event_kb, 128);
    EXPECT_EQ(c.limits.reply_mb, 1);
    EXPECT_EQ(c.timeouts.reply_s, 60);
    EXPECT_THAT(apply_file_text(c, R"({"limits": {"reply_mb": 0}})", "config.json"), HasError(ErrorCode::config));
    EXPECT_THAT(apply_file_text(c, R"({"limits": {"paste": 1}})", "config.json"), HasError(ErrorCode::config));
}

TEST(Config, WrongTypeNamesKeyPath)
{
    Config c = defaults();
    auto r = apply_file_text(c, R"({"http": {"max_retries": "3"}})", "config.json");
    EXPECT_THAT(r, HasErrorMessage(HasSubstr("http.max_retries: expected integer, got string")));
}

TEST(Config, UnknownKeySuggestsTheNearest)
{
    Config c = defaults();
    EXPECT_THAT(apply_file_text(c, R"({"modle": "a/b"})", "config.json"),
        HasErrorMessage(HasSubstr("unknown key 'modle' (did you mean 'model'?)")));
    EXPECT_THAT(apply_file_text(c, R"({"http": {"idle_timeout": 3}})", "config.json"),
        HasErrorMessage(HasSubstr("did you mean 'http.idle_timeout_s'?")));
    EXPECT_THAT(
        apply_file_text(c, R"({"zzzzzzzz": 1})", "config.json"), HasErrorMessage(HasSubstr("unknown key 'zzzzzzzz'")));
}

TEST(Config, CustomProviderAndFormatSwitch)
{
    Config c = defaults();
    ASSERT_THAT(apply_file_text(c, R"({"providers": {
        "vllm": {"base_url": "http://127.0.0.1:8000/v1/", "format": "openai-chat"},
        "openai": {"format": "openai-responses"}}})",
                    "config.json"),
        IsOk());
    auto m = resolve_model(c, "vllm/qwen/qwen3-8b");
    ASSERT_THAT(m, IsOk());
    EXPECT_EQ(m->model, "qwen/qwen3-8b");
    EXPECT_EQ(m->base_url, "http://127.0.0.1:8000/v1");
    EXPECT_EQ(resolve_model(c, "openai/gpt-5")->format, ApiFormat::openai_responses);
    EXPECT_THAT(apply_file_text(c, R"({"providers": {"x": {"base_url": "http://h", "format": "soap"}}})", "c"),
        HasErrorMessage(HasSubstr("providers.x.format: expected one of")));
}

TEST(Config, ApprovalModeHasOneParserForFileAndCommandLine)
{
    EXPECT_THAT(parse_approval("ask"), IsOk());
    EXPECT_EQ(*parse_approval("ask"), Approval::ask);
    EXPECT_EQ(*parse_approval("auto-edit"), Approval::auto_edit);
    EXPECT_EQ(*parse_approval("auto_edit"), Approval::auto_edit);
    EXPECT_EQ(*parse_approval("yolo"), Approval::yolo);
    for (std::string_view bad : { "", "Ask", "auto edit", "yolo ", "\x1b[2J" })
        EXPECT_THAT(parse_approval(bad), HasError(ErrorCode::config)) << bad;
    // The file accepts every spelling the command line does.
    for (std::string_view spelling : { "auto-edit", "auto_edit" }) {
        Config c = defaults();
        ASSERT_THAT(apply_file_text(c, fmt::format(R"({{"approval": "{}"}})", spelling), "config.json"), IsOk());
        EXPECT_EQ(c.approval, Approval::auto_edit) << spelling;
    }
    Config c = defaults();
    EXPECT_THAT(apply_file_text(c, R"({"approval": "sometimes"})", "config.json"),
        HasErrorMessage(HasSubstr("approval: expected one of ask, auto-edit, yolo, got 'sometimes'")));
}

TEST(Config, ModelSpecErrors)
{
    Config c = defaults();
    EXPECT_THAT(resolve_model(c, "gpt-5"), HasErrorMessage(HasSubstr("expected provider/model")));
    EXPECT_THAT(resolve_model(c, "antropic/claude"), HasErrorMessage(HasSubstr("did you mean 'anthropic'")));
    EXPECT_EQ(resolve_model(c, "openai-responses/gpt-5")->format, ApiFormat::openai_responses);
    EXPECT_EQ(resolve_model(c, "google/gemini-2.5-flash")->format, ApiFormat::gemini);
}

TEST(Config, EnvironmentOverrides)
{
    Config c = defaults();
    FakeEnv env;
    env.vars = { { "ANTHROPIC_API_KEY", "sk-ant" }, { "GOOGLE_API_KEY", "g" }, { "OLLAMA_HOST", "127.0.0.1:9999" },
        { "IK_MODEL", "google/gemini-2.5-flash" }, { "OPENAI_BASE_URL", "http://127.0.0.1:1/v1/" } };
    EXPECT_FALSE(has_any_credentials(c));
    apply_environment(c, env);
    EXPECT_EQ(c.providers["anthropic"].api_key, "sk-ant");
    EXPECT_EQ(c.providers["google"].api_key, "g");
    EXPECT_EQ(c.providers["ollama"].base_url, "http://127.0.0.1:9999/v1");
    EXPECT_EQ(c.providers["openai"].base_url, "http://127.0.0.1:1/v1");
    EXPECT_EQ(c.model, "google/gemini-2.5-flash");
    EXPECT_TRUE(has_any_credentials(c));
    EXPECT_TRUE(has_credentials(c, "openai"));
    EXPECT_FALSE(has_credentials(c, "openrouter"));
}

TEST(Config, LoadCreatesDefaultFileAndChecksCredentialMode)
{
    TempDir dir;
    FakeEnv env;
    env.vars = { { "XDG_CONFIG_HOME", dir.path.string() } };
    auto c = load(env);
    ASSERT_THAT(c, IsOk());
    EXPECT_TRUE(std::filesystem::exists(dir.path / "ik" / "config.json"));

    auto creds = dir.path / "ik" / "credentials.json";
    write(creds, R"({"anthropic": {"api_key": "sk-file"}})", 0644);
    auto refused = load(env);
    EXPECT_THAT(refused, HasError(ErrorCode::config));
    EXPECT_THAT(refused, HasErrorMessage(HasSubstr("chmod 600 " + creds.string())));

    ::chmod(creds.c_str(), 0600);
    auto ok = load(env);
    ASSERT_THAT(ok, IsOk());
    EXPECT_EQ(ok->providers["anthropic"].api_key, "sk-file");
    std::string dump = to_json(*ok);
    EXPECT_THAT(dump, HasSubstr("<redacted>"));
    EXPECT_THAT(dump, ::testing::Not(HasSubstr("sk-file")));
}

TEST(Config, EditDistanceCountsTranspositionOnce)
{
    EXPECT_EQ(internal::edit_distance("modle", "model"), 1u);
    EXPECT_EQ(internal::edit_distance("", "abc"), 3u);
}

TEST(Config, ADatabasePasswordMakesConfigJsonASecret)
{
    TempDir dir;
    FakeEnv env;
    env.vars = { { "XDG_CONFIG_HOME", dir.path.string() } };
    std::filesystem::create_directories(dir.path / "ik");
    auto file = dir.path / "ik" / "config.json";
    for (std::string url : { "postgresql://ik:pw@db/ik", "postgresql://ik:p@w@db/ik", "host=db password = 'a b'",
             "postgres://ik@db/ik?Password=pw" }) {
        write(file, R"({"database_url": ")" + url + R"("})", 0644);
        auto refused = load(env);
        EXPECT_THAT(refused, HasError(ErrorCode::config)) << url;
        EXPECT_THAT(refused, HasErrorMessage(HasSubstr("holds a database password"))) << url;
        EXPECT_THAT(refused, HasErrorMessage(HasSubstr("chmod 600 " + file.string()))) << url;
        ::chmod(file.c_str(), 0600);
        EXPECT_THAT(load(env), IsOk()) << url;
    }
    // Without a password the file may stay readable.
    write(file, R"({"database_url": "postgresql://ik@db/ik"})", 0644);
    EXPECT_THAT(load(env), IsOk());
    // From the environment, the file is not the secret.
    write(file, "{}", 0644);
    env.vars["IK_DATABASE_URL"] = "postgresql://ik:pw@db/ik";
    EXPECT_THAT(load(env), IsOk());
}

TEST(Config, AnOversizedOrSpecialConfigFileIsRefusedWithoutReadingIt)
{
    TempDir dir;
    FakeEnv env;
    env.vars = { { "XDG_CONFIG_HOME", dir.path.string() } };
    std::filesystem::create_directories(dir.path / "ik");
    auto path = dir.path / "ik" / "config.json";
    write(path, "{\"system\": \"" + std::string(max_config_file_bytes, 'x') + "\"}", 0644);
    auto big = load(env);
    EXPECT_THAT(big, HasError(ErrorCode::config));
    EXPECT_THAT(big, HasErrorMessage(HasSubstr("more than a config file may hold")));

    std::filesystem::remove(path);
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    auto fifo = load(env); // must not block waiting for a writer
    EXPECT_THAT(fifo, HasError(ErrorCode::config));
    EXPECT_THAT(fifo, HasErrorMessage(HasSubstr("not a regular file")));
}

namespace {

TEST(ConfigSafety, BaseUrlsMustBeHttpAndPasswordsAreRedacted)
{
    Config c = defaults();
    EXPECT_THAT(
        apply_file_text(c, R"({"providers": {"x": {"base_url": "file:///etc/passwd", "format": "openai-chat"}}})", "c"),
        HasErrorMessage(HasSubstr("providers.x.base_url: 'file:///etc/passwd' is not an http:// or https:// URL")));
    EXPECT_THAT(check_base_url("HTTPS://h/v1", "k"), IsOk());
    EXPECT_THAT(
        check_base_url("gopher://u:pw@h/", "OPENAI_BASE_URL"), HasErrorMessage(HasSubstr("'gopher://<redacted>@h/'")));
    EXPECT_EQ(redact_url("https://user:secret@proxy:8080/v1?x=a@b"), "https://<redacted>@proxy:8080/v1?x=a@b");
    EXPECT_EQ(redact_url("http://127.0.0.1:8080/v1"), "http://127.0.0.1:8080/v1");
    ASSERT_THAT(
        apply_file_text(c, R"({"providers": {"p": {"base_url": "https://u:pw@h/v1", "format": "openai-chat"}}})", "c"),
        IsOk());
    EXPECT_EQ(to_json(c).find("pw@"), std::string::npos);
}

TEST(ConfigSafety, SandboxKeysAreValidated)
{
    Config c = defaults();
    EXPECT_EQ(c.sandbox.mode, "workspace-write");
    ASSERT_THAT(
        apply_file_text(c,
            R"({"sandbox": {"mode": "read-only", "backend": "landlock", "network": true, "writable": ["/opt/x", "~/y"]}})",
            "c"),
        IsOk());
    EXPECT_EQ(c.sandbox.mode, "read-only");
    EXPECT_EQ(c.sandbox.backend, "landlock");
    EXPECT_TRUE(c.sandbox.network);
    EXPECT_EQ(c.sandbox.writable.size(), 2u);
    EXPECT_THAT(apply_file_text(c, R"({"sandbox": {"mode": "none"}})", "c"),
        HasErrorMessage(HasSubstr("sandbox.mode: expected one of read-only, workspace-write, off, got 'none'")));
    EXPECT_THAT(apply_file_text(c, R"({"sandbox": {"writable": ["rel/path"]}})", "c"),
        HasErrorMessage(HasSubstr("not an absolute path")));
    EXPECT_THAT(apply_file_text(c, R"({"sandbox": {"netwrk": true}})", "c"), HasError(ErrorCode::config));
}

} // namespace
