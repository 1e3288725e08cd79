// Checkpoints and undo, end to end: the real ik binary against ik-mockllm in
// a temp project, the shadow repository under the test's XDG_DATA_HOME, and
// `ik undo` run as a separate process (so each undo reads the store afresh,
// as after a restart).
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

std::string call(const std::string& id, const std::string& tool, const std::string& args_json)
{
    return fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "{}", "arguments": "{}"}}]}}]}})", id,
        tool, json_escape(args_json));
}

std::string done(const std::string& text)
{
    return fmt::format(R"({{"steps": [{{"text": "{}"}}]}})", text);
}

std::string edit(const std::string& id, const std::string& path, const std::string& from, const std::string& to)
{
    return call(id, "edit_file", fmt::format(R"({{"path":"{}","old_string":"{}","new_string":"{}"}})", path, from, to));
}

class Undo : public IkTest {
protected:
    RunResult run(std::vector<std::string> args)
    {
        args.insert(args.end(), { "--approval", "yolo", "--sandbox", "off" });
        return ik_for(Wire::anthropic, std::move(args));
    }
    std::string read(const std::string& relative) const { return read_text(work_dir() + "/" + relative); }
    bool exists(const std::string& relative) const { return fs::exists(work_dir() + "/" + relative); }
    // The shadow repositories (one per project) under the test's data directory.
    std::vector<fs::path> shadows() const
    {
        std::vector<fs::path> out;
        fs::path dir = m_tmp.path() + "/data/ik/checkpoints";
        if (fs::exists(dir))
            for (auto& e : fs::directory_iterator(dir))
                out.push_back(e.path());
        return out;
    }
    size_t kept_refs() const
    {
        auto all = shadows();
        if (all.size() != 1)
            return 0;
        size_t n = 0;
        fs::path refs = all[0] / "refs" / "ik";
        if (fs::exists(refs))
            for ([[maybe_unused]] auto& e : fs::directory_iterator(refs))
                ++n;
        return n;
    }
};

TEST_F(Undo, UndoAfterAFileEdit)
{
    write_work_file("main.c", "int main() { return 1; }\n");
    start_mock("[" + edit("e", "main.c", "return 1", "return 0") + "," + done("Fixed.") + "]");
    RunResult r = run({ "-p", "fix main" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(read("main.c"), "int main() { return 0; }\n");
    ASSERT_EQ(shadows().size(), 1u);
    EXPECT_FALSE(exists(".git")) << "the project is never made a repository";

    RunResult u = ik({ "undo" });
    EXPECT_EQ(u.exit_code, 0) << u.err;
    EXPECT_THAT(u.out, HasSubstr("Undid \"fix main\": 1 file restored (M main.c)"));
    EXPECT_EQ(read("main.c"), "int main() { return 1; }\n");
    RunResult again = ik({ "undo" });
    EXPECT_EQ(again.exit_code, 1) << again.err;
    EXPECT_THAT(again.err, HasSubstr("nothing to undo"));
}

TEST_F(Undo, UndoAfterABashCommandThatDeletedFiles)
{
    write_work_file("a.txt", "alpha\n");
    fs::create_directories(work_dir() + "/sub");
    write_work_file("sub/b.txt", "beta\n");
    write_work_file(".gitignore", "build/\n");
    fs::create_directories(work_dir() + "/build");
    write_work_file("build/out.o", "object\n");
    start_mock("["
        + call("b", "bash", R"({"command":"rm -r a.txt sub build && mkdir -p made && echo new > made/c.txt"})") + ","
        + done("Cleaned.") + "]");
    RunResult r = run({ "-p", "clean up" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_FALSE(exists("a.txt"));
    ASSERT_TRUE(exists("made/c.txt"));

    RunResult u = ik({ "undo" });
    EXPECT_EQ(u.exit_code, 0) << u.err;
    EXPECT_EQ(read("a.txt"), "alpha\n");
    EXPECT_EQ(read("sub/b.txt"), "beta\n");
    EXPECT_FALSE(exists("made")) << "what the turn created goes, with its directory";
    EXPECT_FALSE(exists("build")) << "ignored files are not in checkpoints";
}

TEST_F(Undo, UndoRepeatsTurnByTurn)
{
    write_work_file("v.txt", "one\n");
    start_mock("[" + edit("1", "v.txt", "one", "two") + "," + done("Two.") + "," + edit("2", "v.txt", "two", "three")
        + "," + done("Three.") + "]");
    ASSERT_EQ(run({ "-p", "first turn" }).exit_code, 0);
    ASSERT_EQ(run({ "-c", "-p", "second turn" }).exit_code, 0);
    ASSERT_EQ(read("v.txt"), "three\n");

    RunResult u1 = ik({ "undo" });
    EXPECT_EQ(u1.exit_code, 0) << u1.err;
    EXPECT_THAT(u1.out, HasSubstr("second turn"));
    EXPECT_EQ(read("v.txt"), "two\n");
    RunResult u2 = ik({ "undo" });
    EXPECT_EQ(u2.exit_code, 0) << u2.err;
    EXPECT_THAT(u2.out, HasSubstr("first turn"));
    EXPECT_EQ(read("v.txt"), "one\n");
    EXPECT_EQ(ik({ "undo" }).exit_code, 1);
    // Both undos are in the session's history.
    RunResult list = ik({ "sessions" });
    RunResult shown = ik({ "sessions", "show", list.out.substr(list.out.find('\n') + 1, 12) });
    EXPECT_THAT(shown.out, HasSubstr("undo of checkpoint event")) << list.out;
}

TEST_F(Undo, RefusedOverALaterUserChangeUnlessForced)
{
    write_work_file("a.txt", "original\n");
    write_work_file("b.txt", "untouched by the user\n");
    start_mock("[" + edit("1", "a.txt", "original", "by the turn") + ","
        + call("2", "write_file", R"({"path":"b.txt","content":"turn\n"})") + "," + done("Done.") + "]");
    ASSERT_EQ(run({ "-p", "change both" }).exit_code, 0);
    std::ofstream(work_dir() + "/a.txt", std::ios::trunc) << "the user's own edit, afterwards\n";

    RunResult refused = ik({ "undo" });
    EXPECT_EQ(refused.exit_code, 7) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("not undone: a file changed after the turn \"change both\": a.txt"));
    EXPECT_THAT(refused.err, HasSubstr("--force"));
    EXPECT_EQ(read("a.txt"), "the user's own edit, afterwards\n");
    EXPECT_EQ(read("b.txt"), "turn\n") << "a refused undo touches nothing";

    RunResult forced = ik({ "undo", "--force" });
    EXPECT_EQ(forced.exit_code, 0) << forced.err;
    EXPECT_EQ(read("a.txt"), "original\n");
    EXPECT_EQ(read("b.txt"), "untouched by the user\n");
}

TEST_F(Undo, RetentionPrunesByCount)
{
    write_config(R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 2, "max_retries": 0},
                     "checkpoints": {"keep": 1}})");
    write_work_file("v.txt", "one\n");
    start_mock("[" + edit("1", "v.txt", "one", "two") + "," + done("Two.") + "," + edit("2", "v.txt", "two", "three")
        + "," + done("Three.") + "]");
    ASSERT_EQ(run({ "-p", "first turn" }).exit_code, 0);
    EXPECT_EQ(kept_refs(), 1u);
    ASSERT_EQ(run({ "-c", "-p", "second turn" }).exit_code, 0);
    EXPECT_EQ(kept_refs(), 1u);

    EXPECT_EQ(ik({ "undo" }).exit_code, 0);
    EXPECT_EQ(read("v.txt"), "two\n");
    RunResult pruned = ik({ "undo" });
    EXPECT_EQ(pruned.exit_code, 1) << pruned.err;
    EXPECT_THAT(pruned.err, HasSubstr("\"first turn\" is no longer kept"));
    EXPECT_EQ(read("v.txt"), "two\n");
}

TEST_F(Undo, UndoOfANamedSession)
{
    write_work_file("a.txt", "a1\n");
    write_work_file("b.txt", "b1\n");
    start_mock("[" + edit("1", "a.txt", "a1", "a2") + "," + done("A.") + "," + edit("2", "b.txt", "b1", "b2") + ","
        + done("B.") + "]");
    ASSERT_EQ(run({ "-p", "session one" }).exit_code, 0);
    RunResult list = ik({ "sessions" });
    std::string first = list.out.substr(list.out.find('\n') + 1, 12);
    ASSERT_EQ(run({ "-p", "session two" }).exit_code, 0);

    RunResult u = ik({ "undo", "--session", first });
    EXPECT_EQ(u.exit_code, 0) << u.err << list.out;
    EXPECT_THAT(u.out, HasSubstr("session one"));
    EXPECT_EQ(read("a.txt"), "a1\n");
    EXPECT_EQ(read("b.txt"), "b2\n") << "the other session's turn stays";
    EXPECT_EQ(ik({ "undo", "--session", "ffffffffffff" }).exit_code, 1);
}

TEST_F(Undo, ABrokenShadowRepositoryNeverFailsTheTurn)
{
    write_work_file("v.txt", "one\n");
    start_mock("[" + edit("1", "v.txt", "one", "two") + "," + done("Two.") + "," + edit("2", "v.txt", "two", "three")
        + "," + done("Three.") + "]");
    ASSERT_EQ(run({ "-p", "first turn" }).exit_code, 0);
    ASSERT_EQ(shadows().size(), 1u);
    // The shadow index cannot be read (a directory sits in its place): the snapshot fails.
    fs::remove(shadows()[0] / "index");
    fs::create_directories(shadows()[0] / "index");
    RunResult r = run({ "-c", "-p", "second turn" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("no checkpoint for this turn"));
    EXPECT_EQ(read("v.txt"), "three\n");
}

// libgit2 is loaded on the first checkpoint, not at start: a prompt that
// changes nothing never maps it (the dynamic loader reports what it loads
// under LD_DEBUG=files), one that edits a file does.
TEST_F(Undo, LibGit2IsLoadedOnlyForACheckpoint)
{
    write_work_file("f.txt", "old\n");
    start_mock(
        "[" + done("Nothing to change.") + "," + edit("e", "f.txt", "old", "new") + "," + done("Changed.") + "]");
    auto env = env_for(Wire::anthropic);
    env["LD_DEBUG"] = "files";
    std::vector<std::string> common
        = { "--model", model_for(Wire::anthropic), "--approval", "yolo", "--sandbox", "off" };
    std::vector<std::string> ask = common;
    ask.insert(ask.end(), { "-p", "just answer" });
    RunResult plain = ik(ask, env);
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    EXPECT_THAT(plain.err, HasSubstr("file=libcurl")) << "LD_DEBUG reports the loaded objects";
    EXPECT_THAT(plain.err, ::testing::Not(HasSubstr("libgit2"))) << "loaded without a checkpoint";

    std::vector<std::string> change = common;
    change.insert(change.end(), { "-p", "change it" });
    RunResult edited = ik(change, env);
    ASSERT_EQ(edited.exit_code, 0) << edited.err;
    EXPECT_EQ(read("f.txt"), "new\n");
    EXPECT_THAT(edited.err, HasSubstr("file=libgit2.so"));
    EXPECT_EQ(shadows().size(), 1u);
}

} // namespace
