// Ollama's window, end to end: the real ik binary asks ik-mockllm's
// POST /api/show for the model's context length, uses it (a loop of tool
// rounds that passes the window compacts before the server would cut, with
// no context-length error), and keeps it in models.json like a learned
// window. A server that does not answer, answers slowly, or answers with
// garbage changes nothing visible: the run goes on with the catalog's window.
#include <filesystem>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

constexpr std::string_view model = "ollama/tiny-test";

class Ollama : public IkTest {
protected:
    // `show` is the script's "show" member (with its comma), or "".
    void start(const std::string& show, long window = 0, int rounds = 0)
    {
        std::string answers = R"({"times": 4, "steps": [{"text": "finished"}]})";
        if (rounds > 0) // tool rounds of 2000 fresh bytes each, then the answer
            answers = fmt::format(
                R"({{"match": "You compact the conversation", "steps": [{{"text": "Goals: loop. Open tasks: go on."}}]}},
                {{"times": {}, "steps": [{{"tool_calls": [{{"name": "bash", "arguments": "{{\"command\":\"head -c 1500 /dev/urandom | base64 -w0\"}}"}}]}}]}},
                {})",
                rounds, answers);
        start_mock(
            fmt::format(R"({{{} "window": {}, "max_requests": 500, "responses": [{}]}})", show, window, answers));
    }
    RunResult run(std::map<std::string, std::string> env = {})
    {
        env["OLLAMA_HOST"] = fmt::format("127.0.0.1:{}", m_mock->port());
        RunOptions o;
        o.timeout = std::chrono::seconds(100);
        return ik(
            { "--model", std::string(model), "--approval", "yolo", "--max-tool-turns", "60", "-p", "go" }, env, o);
    }
    std::string learned_file() const { return read_text(m_tmp.path() + "/home/.local/state/ik/models.json"); }
    std::vector<std::string> show_requests() const
    {
        std::vector<std::string> out;
        for (const std::string& line : m_mock->requests())
            if (line.find("\"/api/show\"") != std::string::npos)
                out.push_back(line);
        return out;
    }
    static int count(const std::string& hay, std::string_view needle)
    {
        int n = 0;
        for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1))
            ++n;
        return n;
    }
};

// A trained length of 131072 but num_ctx 8000: the server cuts at 8000, so
// that is the window. The mock plays it (4 bytes a token): without the
// answer ik would assume 16k and hit the server's context-length error.
TEST_F(Ollama, AsksTheServerOnceAndCompactsBeforeItsNumCtx)
{
    start(R"("show": {"parameters": "temperature 0.7\nnum_ctx                        8000",
                      "model_info": {"general.architecture": "llama", "llama.context_length": 131072}},)",
        8000, 16);
    RunResult r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("finished"));
    ASSERT_EQ(show_requests().size(), 1u);
    boost::json::value asked = boost::json::parse(show_requests().front());
    EXPECT_EQ(asked.at("body").at("model").as_string(), "tiny-test");
    EXPECT_EQ(count(r.err, "compacting and retrying"), 0) << r.err;
    EXPECT_GE(count(r.err, "compacted the context"), 1) << r.err;
    EXPECT_EQ(boost::json::parse(learned_file()).at(model).at("context_window").as_int64(), 8000);

    // `ik models` lists it from models.json, as a learned window.
    RunResult models = ik({ "models" });
    EXPECT_THAT(models.out, ::testing::ContainsRegex(std::string(model) + " +8k .* learned"));
}

TEST_F(Ollama, WithoutNumCtxTheTrainedLengthIsTheWindow)
{
    start(R"("show": {"parameters": "stop \"<|im_end|>\"", "model_info": {"general.architecture": "qwen3",
              "qwen3.context_length": 40960, "qwen3.embedding_length": 4096}},)");
    RunResult r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(boost::json::parse(learned_file()).at(model).at("context_window").as_int64(), 40960);
}

// A window declared in config.json is the user's word: the server is not asked.
TEST_F(Ollama, ADeclaredWindowIsNotAskedAbout)
{
    write_config(fmt::format(R"({{"models": {{"{}": {{"context_window": 5000}}}}}})", model));
    start(R"("show": {"model_info": {"general.architecture": "llama", "llama.context_length": 131072}},)");
    RunResult r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(show_requests().empty());
    EXPECT_EQ(learned_file(), "");
}

// Not Ollama (404), an error status, garbage, an oversized answer, a length
// of zero: the run goes on as before, silently; IK_DEBUG says why.
TEST_F(Ollama, ABadAnswerChangesNothingVisible)
{
    const std::string huge = fmt::format(
        R"("show": "{{\"parameters\": \"num_ctx 3000\", \"license\": \"{}\"}}",)", std::string(2 << 20, 'x'));
    for (const std::string& show : { std::string(), std::string(R"("show": {}, "show_status": 500,)"),
             std::string(R"("show": "{\"model_info\": [1, 2",)"), huge,
             std::string(R"("show": {"parameters": "num_ctx 0", "model_info": {"general.architecture": "x",
                 "x.context_length": -5}},)"),
             std::string(R"("show": {"parameters": "num_ctx\u001b[2J 99", "model_info": "\u001b]0;pwned\u0007"},)") }) {
        SCOPED_TRACE(show.substr(0, 80));
        start(show);
        RunResult r = run();
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_THAT(r.err, Not(HasSubstr("Ollama"))) << "no error beyond a debug note";
        EXPECT_THAT(r.err, Not(HasSubstr("debug")));
        EXPECT_EQ(learned_file(), "");
        RunResult debug = run({ { "IK_DEBUG", "1" } });
        ASSERT_EQ(debug.exit_code, 0) << debug.err;
        EXPECT_THAT(debug.err, HasSubstr("ik: debug: could not ask Ollama for ollama/tiny-test's context length"));
        EXPECT_THAT(debug.err, Not(HasSubstr("\x1b"))) << "the server's bytes reach the terminal cleaned";
    }
}

// A server that takes its time: ik waits about a second, then goes on.
TEST_F(Ollama, ASlowServerDoesNotHoldTheRun)
{
    start(R"("show": {"parameters": "num_ctx 3000"}, "show_delay_ms": 15000,)");
    RunResult r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LT(r.seconds, 8.0); // far from the server's 15 s, with room for a loaded machine
    EXPECT_EQ(learned_file(), "");
}

} // namespace
