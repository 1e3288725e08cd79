// Long sessions, end to end: the real ik binary in a loop of many tool rounds
// with ~2 KB outputs against ik-mockllm playing a model with a 16k-token
// window (it counts a request's tokens from its size and answers past the
// window with the provider's own context-length error). The window must be
// compacted, the run must end well, every round's output must stay in the
// store, and resume must rebuild the window the model last saw.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;

namespace {

constexpr int rounds = 40;
constexpr std::string_view retry_notice = "longer than the model's window: compacting and retrying";

class Compaction : public IkTest {
protected:
    void start(long window, std::string final_text = "All rounds done.", const std::string& dir = "mock")
    {
        // Each round: one bash call printing 2000 fresh bytes; then a final answer.
        // Summary requests (recognised by their instructions) get a summary.
        std::string script = fmt::format(
            R"({{"window": {}, "max_requests": 1000, "responses": [
            {{"match": "You compact the conversation", "steps": [{{"text": "Goals: run the loop. Files: none. Open tasks: keep going."}}]}},
            {{"times": {}, "steps": [{{"tool_calls": [{{"name": "bash", "arguments": "{{\"command\":\"head -c 1500 /dev/urandom | base64 -w0\"}}"}}]}}]}},
            {{"steps": [{{"text": "{}"}}]}}]}})",
            window, rounds, final_text);
        std::filesystem::create_directories(m_tmp.path() + "/" + dir);
        m_mock = std::make_unique<MockLlm>(mock_binary(), m_tmp.path() + "/" + dir, script, 110);
        ASSERT_TRUE(m_mock->ok());
    }
    RunResult run(std::vector<std::string> args)
    {
        args.insert(args.end(), { "--approval", "yolo", "--max-tool-turns", "100" });
        RunOptions o;
        o.timeout = std::chrono::seconds(100);
        return ik_for(Wire::anthropic, std::move(args), o);
    }
    static int count(const std::string& hay, std::string_view needle)
    {
        int n = 0;
        for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1))
            ++n;
        return n;
    }
    std::string latest_session_id()
    {
        RunResult list = ik({ "sessions" });
        std::istringstream in(list.out);
        std::string header, id;
        std::getline(in, header);
        in >> id;
        return id;
    }
    // Every event of the session, one jsonl line each.
    std::string export_session(const std::string& id)
    {
        RunResult r = ik({ "sessions", "export", id, "--format", "jsonl" });
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }
    // The "messages" of each request ik sent, in order.
    std::vector<boost::json::array> requested_messages() const
    {
        std::vector<boost::json::array> out;
        for (const std::string& line : m_mock->requests()) {
            boost::json::value v = boost::json::parse(line);
            out.push_back(v.at("body").at("messages").as_array());
        }
        return out;
    }
};

TEST_F(Compaction, ADeclaredWindowIsNeverExceeded)
{
    write_config(R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 0},
                     "models": {"anthropic/claude-test": {"context_window": 16000, "max_output": 4096}}})");
    start(16000);
    RunResult r = run({ "-p", "loop" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "All rounds done.\n");
    EXPECT_EQ(count(r.err, retry_notice), 0) << r.err;
    EXPECT_GE(count(r.err, "compacted the context"), 2) << r.err;

    std::string events = export_session(latest_session_id());
    EXPECT_EQ(count(events, R"("kind":"tool_result")"), rounds);
    EXPECT_GE(count(events, R"("kind":"compaction")"), 2);
    EXPECT_GE(count(events, R"("mode":"summary")"), 1);
    // Every round's full output is in the store, even those cut from the window.
    std::regex full_output(R"([A-Za-z0-9+/]{1990,})");
    EXPECT_EQ(
        std::distance(std::sregex_iterator(events.begin(), events.end(), full_output), std::sregex_iterator()), rounds);
    // Usage carries cost; the summaries' usage is recorded too.
    EXPECT_THAT(events, HasSubstr(R"("purpose":"compaction")"));
}

TEST_F(Compaction, AWindowDeclaredTooLargeIsLearnedFromTheProvidersErrorAndKept)
{
    write_config(R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 0},
                     "models": {"anthropic/claude-test": {"context_window": 64000, "max_output": 4096}}})");
    start(16000);
    RunResult r = run({ "-p", "loop" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "All rounds done.\n");
    int errors = count(r.err, retry_notice);
    EXPECT_GE(errors, 1) << r.err;
    EXPECT_LE(errors, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr("learned anthropic/claude-test's context window: 16000 tokens"));
    std::ifstream learned(m_tmp.path() + "/home/.local/state/ik/models.json");
    std::stringstream text;
    text << learned.rdbuf();
    EXPECT_THAT(text.str(), HasSubstr(R"("anthropic/claude-test":{"context_window":16000})"));
    std::string events = export_session(latest_session_id());
    EXPECT_EQ(count(events, R"("kind":"tool_result")"), rounds);
}

TEST_F(Compaction, ResumeAfterCompactionRebuildsTheWindowTheModelSaw)
{
    write_config(R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 0},
                     "models": {"anthropic/claude-test": {"context_window": 16000, "max_output": 4096}}})");
    start(16000);
    RunResult first = run({ "-p", "loop" });
    ASSERT_EQ(first.exit_code, 0) << first.err;
    auto before = requested_messages();
    ASSERT_FALSE(before.empty());
    boost::json::array last = before.back();

    std::string id = latest_session_id();
    start(16000, "Resumed.", "mock2");
    RunResult second = run({ "-r", id, "-p", "and now?" });
    ASSERT_EQ(second.exit_code, 0) << second.err;
    auto after = requested_messages();
    ASSERT_FALSE(after.empty());
    boost::json::array resumed = after.front();
    // The resumed request is the last one, plus the answer to it and the new prompt.
    ASSERT_GE(resumed.size(), last.size());
    for (size_t i = 0; i < last.size(); ++i) {
        boost::json::value a = last[i];
        boost::json::value b = resumed[i];
        // The cache breakpoint moves to the newest message; compare without it.
        for (auto* v : { &a, &b })
            for (auto& block : v->at("content").as_array())
                block.as_object().erase("cache_control");
        EXPECT_EQ(boost::json::serialize(a), boost::json::serialize(b)) << "message " << i;
    }
}

} // namespace

namespace {

TEST_F(Compaction, ModelsListsTheCatalogWithConfigAdditionsAndDatedSources)
{
    write_config(R"({"models": {"openai/x": {"context_window": 16000, "max_output": 4096, "input_price": 0.5,
                                              "output_price": 1.5}}})");
    RunResult r = ik({ "models" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, ::testing::StartsWith("MODEL"));
    EXPECT_THAT(r.out, ::testing::ContainsRegex("anthropic/claude-sonnet-4-5 +200k +64k +3 +15 +0.3 +3.75"));
    EXPECT_THAT(r.out, ::testing::ContainsRegex("openai/x +16k +4k +0.5 +1.5 +- +- +tools +config"));
    EXPECT_THAT(r.out, HasSubstr("approximate"));
    EXPECT_THAT(r.out, HasSubstr("https://www.anthropic.com/pricing (2025-10)"));
}

} // namespace
