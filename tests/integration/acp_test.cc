// `ik acp` end to end: a scripted ACP client plays an editor, driving the
// real ik binary over pipes (one JSON-RPC message per line) against the mock
// LLM server. It answers ik's permission requests, cancels mid-stream,
// reloads a stored session, and sends malformed input, checking that every
// bad line gets a JSON-RPC error and the stream stays in step.
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// The editor: ik acp as a child with its stdin and stdout on pipes.
class Editor {
public:
    Editor(const std::string& exe, const std::map<std::string, std::string>& env, const std::string& cwd)
    {
        int in[2], out[2];
        EXPECT_EQ(::pipe(in), 0);
        EXPECT_EQ(::pipe(out), 0);
        m_pid = ::fork();
        if (m_pid == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            ::close(in[1]);
            ::close(out[0]);
            if (::chdir(cwd.c_str()) != 0)
                ::_exit(127);
            std::vector<std::string> vars;
            for (const auto& [k, v] : env)
                vars.push_back(k + "=" + v);
            for (const char* keep : { "PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" })
                if (const char* v = ::getenv(keep))
                    vars.push_back(std::string(keep) + "=" + v);
            std::vector<char*> envp;
            for (auto& v : vars)
                envp.push_back(v.data());
            envp.push_back(nullptr);
            char* argv[] = { const_cast<char*>(exe.c_str()), const_cast<char*>("acp"), nullptr };
            ::execve(exe.c_str(), argv, envp.data());
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        m_in = in[1];
        m_out = out[0];
        ::signal(SIGPIPE, SIG_IGN);
    }
    ~Editor()
    {
        close_input();
        if (m_pid > 0) {
            // ik exits when its input ends; give it a while, then stop it.
            for (int i = 0; i < 200 && !reaped(); ++i)
                ::usleep(50'000);
            if (!reaped()) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &m_status, 0);
            }
        }
        if (m_out >= 0)
            ::close(m_out);
    }

    void send(const std::string& line)
    {
        std::string data = line + "\n";
        size_t done = 0;
        while (done < data.size()) {
            ssize_t n = ::write(m_in, data.data() + done, data.size() - done);
            if (n <= 0)
                return;
            done += static_cast<size_t>(n);
        }
    }
    void close_input()
    {
        if (m_in >= 0)
            ::close(m_in);
        m_in = -1;
    }
    // Lines until one contains `text` (that one included); empty on timeout.
    std::vector<std::string> until(const std::string& text, int timeout_ms = 30'000)
    {
        std::vector<std::string> got;
        for (int waited = 0; waited < timeout_ms;) {
            size_t nl;
            while ((nl = m_buffer.find('\n')) != std::string::npos) {
                got.push_back(m_buffer.substr(0, nl));
                m_buffer.erase(0, nl + 1);
                m_seen.push_back(got.back());
                if (got.back().find(text) != std::string::npos)
                    return got;
            }
            pollfd p{ m_out, POLLIN, 0 };
            if (::poll(&p, 1, 100) <= 0) {
                waited += 100;
                continue;
            }
            char buf[65536];
            ssize_t n = ::read(m_out, buf, sizeof buf);
            if (n <= 0)
                break;
            m_buffer.append(buf, static_cast<size_t>(n));
        }
        ADD_FAILURE() << "no line with " << text << " in:\n" << fmt::format("{}", fmt::join(got, "\n"));
        return {};
    }
    std::string last(const std::string& text)
    {
        auto lines = until(text);
        return lines.empty() ? "" : lines.back();
    }
    int exit_code()
    {
        close_input();
        for (int i = 0; i < 400 && !reaped(); ++i)
            ::usleep(50'000);
        return reaped() && WIFEXITED(m_status) ? WEXITSTATUS(m_status) : -1;
    }
    std::string all() const { return fmt::format("{}", fmt::join(m_seen, "\n")); }

private:
    bool reaped()
    {
        if (m_done)
            return true;
        if (::waitpid(m_pid, &m_status, WNOHANG) == m_pid)
            m_done = true;
        return m_done;
    }
    pid_t m_pid = -1;
    int m_in = -1, m_out = -1, m_status = 0;
    bool m_done = false;
    std::string m_buffer;
    std::vector<std::string> m_seen;
};

std::string bash_call(const char* id, const std::string& command)
{
    return fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "bash", "arguments": "{}"}}]}}]}})", id,
        json_escape(fmt::format(R"({{"command": "{}"}})", command)));
}

class Acp : public IkTest {
protected:
    std::unique_ptr<Editor> editor()
    {
        auto env = env_for(Wire::anthropic);
        env["HOME"] = m_tmp.path() + "/home";
        env["XDG_CONFIG_HOME"] = m_tmp.path() + "/config";
        env["XDG_DATA_HOME"] = m_tmp.path() + "/data";
        env["OLLAMA_HOST"] = "127.0.0.1:9";
        return std::make_unique<Editor>(ik_binary(), env, work_dir());
    }
    // initialize and session/new; returns the session id.
    std::string open(Editor& e, const std::string& capabilities = "{}")
    {
        e.send(fmt::format(
            R"({{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"protocolVersion":1,"clientCapabilities":{}}}}})",
            capabilities));
        std::string init = e.last(R"("id":1)");
        EXPECT_THAT(init, HasSubstr(R"("protocolVersion":1)"));
        EXPECT_THAT(init, HasSubstr(R"("loadSession":true)"));
        e.send(
            fmt::format(R"({{"jsonrpc":"2.0","id":2,"method":"session/new","params":{{"cwd":"{}","mcpServers":[]}}}})",
                json_escape(work_dir())));
        std::string created = e.last(R"("id":2)");
        size_t at = created.find(R"("sessionId":")");
        EXPECT_NE(at, std::string::npos) << created;
        return at == std::string::npos ? "" : created.substr(at + 13, 12);
    }
    std::string prompt(int id, const std::string& session, const std::string& text)
    {
        return fmt::format(
            R"({{"jsonrpc":"2.0","id":{},"method":"session/prompt","params":{{"sessionId":"{}","prompt":[{{"type":"text","text":"{}"}}]}}}})",
            id, session, json_escape(text));
    }
    // Answers the next permission request with `option`.
    void answer_permission(Editor& e, const std::string& option)
    {
        std::string ask = e.last("session/request_permission");
        EXPECT_THAT(ask, HasSubstr(R"("optionId":"allow_once")"));
        size_t at = ask.find(R"("id":)");
        ASSERT_NE(at, std::string::npos);
        std::string id = ask.substr(at + 5, ask.find(',', at) - at - 5);
        e.send(fmt::format(
            R"({{"jsonrpc":"2.0","id":{},"result":{{"outcome":{{"outcome":"selected","optionId":"{}"}}}}}})", id,
            option));
    }
};

TEST_F(Acp, ToolCallsAskPermissionAllowedThenRejectedAndTheSessionReloads)
{
    start_mock("[" + bash_call("c1", "touch allowed.txt") + R"(, {"steps": [{"text": "made it"}]}, )"
        + bash_call("c2", "touch rejected.txt") + R"(, {"steps": [{"text": "not made"}]}])");
    std::string id;
    {
        auto e = editor();
        id = open(*e);
        ASSERT_EQ(id.size(), 12u);
        e->send(prompt(3, id, "make a file"));
        std::string call = e->last(R"("sessionUpdate":"tool_call")");
        EXPECT_THAT(call, HasSubstr(R"("kind":"execute")"));
        EXPECT_THAT(call, HasSubstr(R"("rawInput":{"command":"touch allowed.txt"})"));
        answer_permission(*e, "allow_once");
        EXPECT_THAT(e->last(R"("status":"completed")"), HasSubstr(R"("toolCallId":"c1")"));
        auto rest = e->until(R"("id":3)");
        ASSERT_FALSE(rest.empty());
        EXPECT_THAT(rest.back(), HasSubstr(R"("stopReason":"end_turn")"));
        EXPECT_THAT(e->all(), HasSubstr(R"("agent_message_chunk","content":{"type":"text","text":"made it"})"));
        EXPECT_TRUE(std::filesystem::exists(work_dir() + "/allowed.txt"));

        e->send(prompt(4, id, "make another"));
        answer_permission(*e, "reject_once");
        EXPECT_THAT(e->last(R"("status":"failed")"), HasSubstr(R"("toolCallId":"c2")"));
        EXPECT_THAT(e->last(R"("id":4)"), HasSubstr(R"("stopReason":"end_turn")"));
        EXPECT_FALSE(std::filesystem::exists(work_dir() + "/rejected.txt"));
        EXPECT_EQ(e->exit_code(), 0);
    }
    // Stored like any session: listed, and replayed by session/load.
    RunResult list = ik({ "sessions" });
    EXPECT_THAT(list.out, HasSubstr(id));
    auto e = editor();
    e->send(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":1}})");
    e->until(R"("id":1)");
    e->send(fmt::format(
        R"({{"jsonrpc":"2.0","id":2,"method":"session/load","params":{{"sessionId":"{}","cwd":"{}","mcpServers":[]}}}})",
        id, json_escape(work_dir())));
    auto replay = e->until(R"("id":2)");
    ASSERT_GE(replay.size(), 4u);
    std::string all = e->all();
    size_t user = all.find(R"("user_message_chunk","content":{"type":"text","text":"make a file")");
    size_t reply = all.find(R"("text":"made it")");
    size_t response = all.find(R"("id":2,"result")");
    EXPECT_NE(user, std::string::npos) << all;
    EXPECT_LT(user, reply);
    EXPECT_LT(reply, response); // replayed before the response
    EXPECT_THAT(all, HasSubstr(R"("toolCallId":"c2","status":"failed")"));
}

TEST_F(Acp, MalformedInputGetsErrorsAndTheStreamStaysInStep)
{
    start_mock(R"([{"steps": [{"text": "fine"}]}])");
    auto e = editor();
    e->send("{not json");
    EXPECT_THAT(e->last("error"), HasSubstr(R"("code":-32700)"));
    e->send(R"({"jsonrpc":"2.0","id":9,"method":"session/new","params":{"cwd":"/tmp","mcpServers":[]}})");
    EXPECT_THAT(e->last(R"("id":9)"), HasSubstr("initialize first"));
    std::string id = open(*e);
    e->send(R"({"jsonrpc":"2.0","id":10,"method":"no/such"})");
    EXPECT_THAT(e->last(R"("id":10)"), HasSubstr(R"("code":-32601)"));
    e->send(R"({"jsonrpc":"2.0","id":11,"method":"session/prompt","params":{"sessionId":42}})");
    EXPECT_THAT(e->last(R"("id":11)"), HasSubstr(R"("code":-32602)"));
    e->send(R"({"jsonrpc":"2.0","id":12,"method":"session/new","params":{"cwd":"../up","mcpServers":[]}})");
    EXPECT_THAT(e->last(R"("id":12)"), HasSubstr("absolute"));
    e->send(
        R"({"jsonrpc":"2.0","id":13,"method":"session/new","params":{"cwd":"/tmp","mcpServers":[{"type":"sse","name":"h","url":"http://127.0.0.1:9/","headers":[]}]}})");
    EXPECT_THAT(e->last(R"("id":13)"), HasSubstr("not supported"));
    // Over the 8 MiB line cap: dropped whole, answered, and the next line
    // is read as the next message.
    e->send(R"({"jsonrpc":"2.0","id":14,"method":"x","params":")" + std::string(9u << 20, 'a') + "\"}");
    EXPECT_THAT(e->last("error"), HasSubstr("longer than"));
    e->send(std::string(R"({"jsonrpc":"2.0","id":15,"method":"session/set_mode","params":{"sessionId":")") + id
        + R"(","modeId":"yolo"}})");
    EXPECT_THAT(e->last(R"("id":15)"), HasSubstr(R"("result":{})"));
    // An escape sequence in the prompt is text like any other.
    e->send(std::string(R"({"jsonrpc":"2.0","id":16,"method":"session/prompt","params":{"sessionId":")") + id
        + R"(","prompt":[{"type":"text","text":"\u001b[2J hello"}]}})");
    EXPECT_THAT(e->last(R"("id":16)"), HasSubstr("end_turn"));
    EXPECT_EQ(e->exit_code(), 0);
}

TEST_F(Acp, ATodoCallIsAPlanAndAnEditIsADiff)
{
    std::string todo = R"({"todos": [{"content": "Read the code", "status": "done"},
        {"content": "Fix the bug", "status": "in_progress"}]})";
    std::string write = R"({"path": "notes.txt", "content": "new text\n"})";
    start_mock(fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "t1", "name": "todo", "arguments": "{}"}}]}}]}},
        {{"steps": [{{"tool_calls": [{{"id": "w1", "name": "write_file", "arguments": "{}"}}]}}]}},
        {{"steps": [{{"text": "done"}}]}}])",
        json_escape(todo), json_escape(write)));
    write_work_file("notes.txt", "old text\n");
    auto e = editor();
    std::string id = open(*e);
    e->send(std::string(R"({"jsonrpc":"2.0","id":3,"method":"session/set_mode","params":{"sessionId":")") + id
        + R"(","modeId":"auto-edit"}})");
    e->until(R"("id":3)");
    e->send(prompt(4, id, "plan and fix"));
    std::string plan = e->last(R"("sessionUpdate":"plan")");
    EXPECT_THAT(plan,
        HasSubstr(R"("entries":[{"content":"Read the code","priority":"medium","status":"completed"},)"
                  R"({"content":"Fix the bug","priority":"medium","status":"in_progress"}])"));
    std::string diff = e->last(R"("type":"diff")");
    EXPECT_THAT(diff,
        HasSubstr(fmt::format(
            R"("path":"{}/notes.txt","oldText":"old text\n","newText":"new text\n")", json_escape(work_dir()))));
    EXPECT_THAT(e->last(R"("id":4)"), HasSubstr("end_turn"));
    EXPECT_EQ(read_text(work_dir() + "/notes.txt"), "new text\n");
}

TEST_F(Acp, CancelMidStreamEndsTheTurnCancelled)
{
    start_mock(R"([{"steps": [{"text": "start "}, {"delay_ms": 20000}, {"text": "never"}]}])");
    auto e = editor();
    std::string id = open(*e);
    e->send(prompt(3, id, "talk slowly"));
    e->until(R"("text":"start ")");
    e->send(fmt::format(R"({{"jsonrpc":"2.0","method":"session/cancel","params":{{"sessionId":"{}"}}}})", id));
    EXPECT_THAT(e->last(R"("id":3)"), HasSubstr(R"("stopReason":"cancelled")"));
    EXPECT_THAT(e->all(), Not(HasSubstr("never")));
    // Nothing is left running: ik exits at once when the editor closes.
    EXPECT_EQ(e->exit_code(), 0);
}

TEST_F(Acp, ReadsGoThroughTheEditorSoUnsavedBuffersAreSeen)
{
    auto read = [](const char* id, const char* path) {
        return fmt::format(
            R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "read_file", "arguments": "{}"}}]}}]}})", id,
            json_escape(fmt::format(R"({{"path": "{}"}})", path)));
    };
    start_mock("[" + read("r1", "missing.txt") + "," + read("r2", "notes.txt") + R"(, {"steps": [{"text": "read"}]}])");
    write_work_file("notes.txt", "saved on disk\n");
    auto e = editor();
    std::string id = open(*e, R"({"fs":{"readTextFile":true,"writeTextFile":false}})");
    e->send(prompt(3, id, "read it"));
    // A file that does not exist fails ik's own checks: the editor is not asked.
    EXPECT_THAT(e->last(R"("toolCallId":"r1","status":"failed")"), HasSubstr("no such file"));
    std::string ask = e->last("fs/read_text_file");
    EXPECT_THAT(ask, HasSubstr(fmt::format(R"("path":"{}/notes.txt")", json_escape(work_dir()))));
    EXPECT_THAT(ask, HasSubstr(R"("sessionId":")" + id));
    size_t at = ask.find(R"("id":)");
    ASSERT_NE(at, std::string::npos);
    e->send(fmt::format(R"({{"jsonrpc":"2.0","id":{},"result":{{"content":"unsaved in the editor\n"}}}})",
        ask.substr(at + 5, ask.find(',', at) - at - 5)));
    EXPECT_THAT(e->last(R"("toolCallId":"r2","status":"completed")"), HasSubstr("unsaved in the editor"));
    EXPECT_THAT(e->last(R"("id":3)"), HasSubstr("end_turn"));
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_THAT(requests[2], HasSubstr("unsaved in the editor"));
    EXPECT_THAT(requests[2], Not(HasSubstr("saved on disk")));
    EXPECT_THAT(e->all(),
        Not(HasSubstr(R"("method":"fs/read_text_file","params":{"sessionId":")" + id + R"(","path":")"
            + json_escape(work_dir()) + R"(/missing.txt")")));
}

// The id of the last request line with `method` ("" when none).
std::string request_id(const std::string& line)
{
    size_t at = line.find(R"("id":)");
    return at == std::string::npos ? "" : line.substr(at + 5, line.find(',', at) - at - 5);
}

TEST_F(Acp, AnImagePromptReachesTheModelAndBadImagesAreRefused)
{
    write_config(
        R"({"model": "anthropic/claude-test", "http": {"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 1},
        "models": {"anthropic/claude-test": {"images": true}}})");
    start_mock(R"([{"steps": [{"text": "a picture"}]}])");
    const std::string png_b64 = "iVBORw0KGgoAAAANSUhEUg=="; // a PNG's signature and header chunk start
    auto e = editor();
    std::string id = open(*e);
    EXPECT_THAT(e->all(), HasSubstr(R"("promptCapabilities":{"image":true)"));
    auto image = [&](int rid, const std::string& data) {
        return fmt::format(
            R"({{"jsonrpc":"2.0","id":{},"method":"session/prompt","params":{{"sessionId":"{}","prompt":[)"
            R"({{"type":"text","text":"what is it"}},{{"type":"image","data":"{}","mimeType":"image/jpeg"}}]}}}})",
            rid, id, data);
    };
    e->send(image(3, "not base64!"));
    EXPECT_THAT(e->last(R"("id":3)"), HasSubstr("not padded base64"));
    e->send(image(4, "aGVsbG8gdGhlcmU=")); // "hello there": base64, not an image
    EXPECT_THAT(e->last(R"("id":4)"), HasSubstr("not a PNG, JPEG, GIF or WebP"));
    e->send(image(5, png_b64));
    EXPECT_THAT(e->last(R"("id":5)"), HasSubstr("end_turn"));
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_THAT(requests[0], HasSubstr(png_b64));
    EXPECT_THAT(requests[0], HasSubstr("image/png")); // by its bytes, not the mimeType
    EXPECT_EQ(e->exit_code(), 0);
}

TEST_F(Acp, AModelWithoutImagesRefusesAnImageBlock)
{
    write_config(
        R"({"model": "anthropic/claude-test", "http": {"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 1},
        "models": {"anthropic/claude-test": {"images": false}}})");
    start_mock(R"([{"steps": [{"text": "fine"}]}])");
    auto e = editor();
    std::string id = open(*e);
    EXPECT_THAT(e->all(), HasSubstr(R"("promptCapabilities":{"image":false)"));
    e->send(fmt::format(R"({{"jsonrpc":"2.0","id":3,"method":"session/prompt","params":{{"sessionId":"{}",)"
                        R"("prompt":[{{"type":"image","data":"iVBORw0KGgoAAAANSUhEUg==","mimeType":"image/png"}}]}}}})",
        id));
    EXPECT_THAT(e->last(R"("id":3)"), HasSubstr("does not accept images"));
    EXPECT_TRUE(m_mock->requests().empty());
}

TEST_F(Acp, AnEditAppliesToTheEditorsBufferAndIsWrittenThroughIt)
{
    std::string edit = R"({"path": "notes.txt", "old_string": "unsaved line", "new_string": "edited line"})";
    start_mock(
        fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "e1", "name": "edit_file", "arguments": "{}"}}]}}]}},
        {{"steps": [{{"text": "edited"}}]}}])",
            json_escape(edit)));
    write_work_file("notes.txt", "saved line\n");
    auto e = editor();
    std::string id = open(*e, R"({"fs":{"readTextFile":true,"writeTextFile":true}})");
    e->send(std::string(R"({"jsonrpc":"2.0","id":3,"method":"session/set_mode","params":{"sessionId":")") + id
        + R"(","modeId":"auto-edit"}})");
    e->until(R"("id":3)");
    e->send(prompt(4, id, "edit it"));
    std::string read = e->last("fs/read_text_file");
    e->send(
        fmt::format(R"({{"jsonrpc":"2.0","id":{},"result":{{"content":"first\nunsaved line\n"}}}})", request_id(read)));
    std::string write = e->last("fs/write_text_file");
    EXPECT_THAT(write, HasSubstr(fmt::format(R"("path":"{}/notes.txt")", json_escape(work_dir()))));
    EXPECT_THAT(write, HasSubstr(R"("content":"first\nedited line\n")"));
    e->send(fmt::format(R"({{"jsonrpc":"2.0","id":{},"result":null}})", request_id(write)));
    EXPECT_THAT(e->last(R"("toolCallId":"e1","status":"completed")"), HasSubstr("+1 -1 lines"));
    EXPECT_THAT(e->last(R"("id":4)"), HasSubstr("end_turn"));
    // ik wrote the edited buffer to disk itself (confined, checkpointed).
    EXPECT_EQ(read_text(work_dir() + "/notes.txt"), "first\nedited line\n");
}

TEST_F(Acp, ATaskCallShowsItsSubAgentsActivity)
{
    std::string task = R"({"description": "look around", "prompt": "read notes.txt"})";
    std::string read = R"({"path": "notes.txt"})";
    start_mock(fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "k1", "name": "task", "arguments": "{}"}}]}}]}},
        {{"steps": [{{"tool_calls": [{{"id": "s1", "name": "read_file", "arguments": "{}"}}]}}]}},
        {{"steps": [{{"text": "the sub-agent's answer"}}]}},
        {{"steps": [{{"text": "all done"}}]}}])",
        json_escape(task), json_escape(read)));
    write_work_file("notes.txt", "hello\n");
    auto e = editor();
    std::string id = open(*e);
    e->send(prompt(3, id, "delegate"));
    std::string call = e->last(R"("sessionUpdate":"tool_call")");
    EXPECT_THAT(call, HasSubstr(R"("toolCallId":"k1")"));
    EXPECT_THAT(call, HasSubstr(R"("title":"look around")"));
    EXPECT_THAT(call, HasSubstr(R"("kind":"think")"));
    EXPECT_THAT(e->last(R"("text":"read_file notes.txt\n")"), HasSubstr(R"("toolCallId":"k1","status":"in_progress")"));
    EXPECT_THAT(e->last(R"("toolCallId":"k1","status":"completed")"), HasSubstr("the sub-agent's answer"));
    EXPECT_THAT(e->last(R"("id":3)"), HasSubstr("end_turn"));
    // The sub-agent's own calls are not the parent's tool calls.
    EXPECT_THAT(e->all(), Not(HasSubstr(R"("sessionUpdate":"tool_call","toolCallId":"s1")")));
}

} // namespace
