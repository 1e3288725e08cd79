// The libraries only some runs need are opened on first use, not linked
// (core/lazy_library.h): the real ik binary, with the dynamic loader reporting
// every object it maps (LD_DEBUG=files, on stderr). A plain answer maps none
// of them; the grep tool maps PCRE2 and nothing else of the set. gumbo
// (web_test), libgit2 (undo_test), libpq (the PostgreSQL suites), libseccomp
// (sandbox_test) and md4c and libunibreak (the REPL's e2e tests) are each
// used through the same path by the suites of their features.
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

constexpr std::array<std::string_view, 7> on_demand{ "libpq.so", "libgumbo.so", "libmd4c.so", "libunibreak.so",
    "libpcre2-8.so", "libseccomp.so", "libgit2.so" };

class LazyLibraries : public IkTest {
protected:
    RunResult run(const std::string& prompt)
    {
        auto env = env_for(Wire::anthropic);
        env["LD_DEBUG"] = "files";
        return ik(
            { "--model", model_for(Wire::anthropic), "--approval", "yolo", "--sandbox", "off", "-p", prompt }, env);
    }
};

TEST_F(LazyLibraries, APlainAnswerMapsNoneOfThem)
{
    start_mock(R"([{"steps": [{"text": "Just an answer."}]}])");
    RunResult r = run("hi");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Just an answer.\n");
    EXPECT_THAT(r.err, HasSubstr("file=libcurl")) << "LD_DEBUG reports the objects it maps";
    for (std::string_view library : on_demand)
        EXPECT_THAT(r.err, Not(HasSubstr(fmt::format("file={}", library)))) << library << " mapped at start";
}

TEST_F(LazyLibraries, GrepMapsPcre2AndNoOtherOfThem)
{
    write_work_file("notes.txt", "alpha\nbeta 42\n");
    start_mock(R"([{"steps": [{"tool_calls": [{"id": "g1", "name": "grep",
                    "arguments": "{\"pattern\": \"[0-9]+\", \"path\": \"notes.txt\"}"}]}]},
                  {"steps": [{"text": "Found it."}]}])");
    RunResult r = run("find the number");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Found it.\n");
    EXPECT_THAT(r.err, HasSubstr("file=libpcre2-8.so"));
    for (std::string_view library : on_demand) {
        if (library != "libpcre2-8.so") {
            EXPECT_THAT(r.err, Not(HasSubstr(fmt::format("file={}", library)))) << library;
        }
    }
    EXPECT_THAT(tool_result_sent(), HasSubstr("notes.txt:2:beta 42")) << "the match reached the model";
}

} // namespace
