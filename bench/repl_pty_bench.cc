// The real REPL through a pty: keypress-to-screen latency while a reply
// streams, and the bytes written to the terminal for a 2000-token reply.
//
// Not a micro-benchmark: each iteration starts ik-mockllm (loopback, an
// ephemeral port) and the real `ik` binary on a pseudo-terminal (forkpty,
// 100x30), submits a prompt whose reply is 2000 deltas of one word each,
// streamed in 40 bursts 80 ms apart, and meanwhile types a CJK character
// every 50 ms. Latency is the time from writing a key to the pty until the
// frame bytes containing it are read back (the character's bytes cannot
// occur in escape sequences or in the reply). Bytes are everything ik
// writes from the submit until the screen is quiet, against the reply's
// own byte count. Binaries come from IK_BINARY and IK_MOCKLLM; without
// them the benchmark is skipped.
//
// BM_ReplPty/1 is the same with syntax highlighting and completion at work
// (issue 13): every burst ends with a fenced C++ block (highlighted when its
// fence arrives), the project holds 2000 files, and the keys are typed after
// an `@`, so the mention menu ranks all the files and redraws its rows on
// every key. Its key is 'Q': the file names match it (the ranking ignores
// case) but hold only lowercase q, so the menu rows never contain the key.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int bursts = 40;
constexpr int words_per_burst = 50;
constexpr std::string_view plain_key = "界";
constexpr std::string_view completion_key = "Q";
constexpr int project_files = 2000;

std::string reply_word(int i)
{
    return fmt::format("w{:04} ", i);
}

// The mock script and the reply's own bytes.
std::string make_script(size_t& reply_bytes, bool code)
{
    std::string steps;
    reply_bytes = 0;
    for (int b = 0; b < bursts; ++b) {
        std::string text;
        for (int w = 0; w < words_per_burst; ++w)
            text += reply_word(b * words_per_burst + w);
        text += "\\n\\n";
        reply_bytes += text.size() - 2; // "\\n\\n" in JSON is two bytes
        if (code) {
            // JSON-escaped: each "\\n" is one byte of the reply.
            std::string block = fmt::format(
                "```cpp\\nint f{0}(int x) {{ return x * {0}; }} // c{0}\\nconst char* s{0} = \\\"s{0}\\\";\\n```\\n\\n",
                b);
            text += block;
            reply_bytes += block.size() - 5 - 2; // five "\\n" and two "\\\""
        }
        steps += fmt::format(R"({{"text": "{}", "chunk": 6}}, {{"delay_ms": 80}}, )", text);
    }
    return fmt::format(R"([{{"steps": [{} {{"usage": {{"input": 100, "output": 2000}}}}]}}])", steps);
}

pid_t spawn(const std::vector<std::string>& argv)
{
    pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

void stop(pid_t pid)
{
    if (pid <= 0)
        return;
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
}

// Reads what is available within `ms`; returns bytes read (0: quiet).
size_t read_some(int fd, std::string& into, int ms)
{
    pollfd p{ fd, POLLIN, 0 };
    if (::poll(&p, 1, ms) <= 0)
        return 0;
    char buf[65536];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0)
        return 0;
    into.append(buf, static_cast<size_t>(n));
    return static_cast<size_t>(n);
}

void BM_ReplPty(benchmark::State& state)
{
    const char* ik = std::getenv("IK_BINARY");
    const char* mock = std::getenv("IK_MOCKLLM");
    if (!ik || !mock) {
        state.SkipWithError("set IK_BINARY and IK_MOCKLLM");
        return;
    }
    const bool completion = state.range(0) != 0;
    const std::string_view key = completion ? completion_key : plain_key;
    std::vector<double> latencies_ms;
    double bytes = 0;
    size_t reply_bytes = 0;
    double frames_seen = 0;
    for (auto _ : state) {
        fs::path dir = fs::temp_directory_path() / fmt::format("ik-repl-bench-{}", ::getpid());
        fs::remove_all(dir);
        for (const char* d : { "home", "config/ik", "data", "work" })
            fs::create_directories(dir / d);
        std::ofstream(dir / "config/ik/config.json") << R"({"http": {"idle_timeout_s": 10}})";
        std::ofstream(dir / "script.json") << make_script(reply_bytes, completion);
        if (completion)
            for (int i = 0; i < project_files; ++i) {
                fs::path f
                    = dir / "work" / fmt::format("src/d{}", i % 40) / fmt::format("{}_{}.cc", std::string(40, 'q'), i);
                fs::create_directories(f.parent_path());
                std::ofstream(f) << "x\n";
            }
        pid_t server = spawn({ mock, "--port", "0", "--script", (dir / "script.json").string(), "--port-file",
            (dir / "port").string(), "--max-seconds", "60" });
        std::string port;
        for (int i = 0; i < 200 && port.empty(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            std::ifstream(dir / "port") >> port;
        }

        winsize ws{};
        ws.ws_row = 30;
        ws.ws_col = 100;
        int master = -1;
        pid_t child = ::forkpty(&master, nullptr, nullptr, &ws);
        if (child == 0) {
            ::chdir((dir / "work").c_str());
            ::clearenv();
            ::setenv("HOME", (dir / "home").c_str(), 1);
            ::setenv("XDG_CONFIG_HOME", (dir / "config").c_str(), 1);
            ::setenv("XDG_DATA_HOME", (dir / "data").c_str(), 1);
            ::setenv("LANG", "C.UTF-8", 1);
            ::setenv("TERM", "xterm-256color", 1);
            ::setenv("OPENAI_API_KEY", "bench", 1);
            ::setenv("OPENAI_BASE_URL", fmt::format("http://127.0.0.1:{}/v1", port).c_str(), 1);
            ::execl(ik, ik, "--model", "openai/bench", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        std::string out;
        auto deadline = Clock::now() + std::chrono::seconds(10);
        while (out.find("/help for commands") == std::string::npos && Clock::now() < deadline)
            read_some(master, out, 50);
        out.clear();
        (void)::write(master, "go\r", 3);

        // Stream: type a key every 50 ms once text arrives; time each echo.
        bool text_seen = false;
        auto last_output = Clock::now();
        auto next_key = Clock::now();
        Clock::time_point key_time{};
        bool key_sent = false;
        size_t key_from = 0;
        int typed = 0;
        bool at_typed = false;
        deadline = Clock::now() + std::chrono::seconds(20);
        while (Clock::now() < deadline) {
            size_t before = out.size();
            size_t n = read_some(master, out, 5);
            auto now = Clock::now();
            if (n > 0) {
                last_output = now;
                frames_seen += 1;
                if (!text_seen && out.find("w0000") != std::string::npos)
                    text_seen = true;
                // From just before this read: the key's bytes may straddle two reads.
                size_t from = std::max(key_from, before >= key.size() ? before - (key.size() - 1) : 0);
                if (key_sent && out.find(key, from) != std::string::npos) {
                    latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - key_time).count());
                    key_sent = false;
                }
            }
            if (completion && text_seen && !at_typed) {
                (void)::write(master, "@", 1); // the mention menu: every key after it re-ranks the files
                at_typed = true;
                next_key = now + std::chrono::milliseconds(100);
            }
            if (text_seen && !key_sent && typed < 30 && now >= next_key) {
                key_from = out.size();
                key_time = Clock::now();
                key_sent = true;
                (void)::write(master, key.data(), key.size());
                typed += 1;
                next_key = now + std::chrono::milliseconds(50);
            }
            if (text_seen && typed >= 30 && !key_sent && now - last_output > std::chrono::milliseconds(500))
                break;
        }
        bytes = static_cast<double>(out.size());
        (void)::write(master, "\x15\x04", 2); // Ctrl-U, Ctrl-D
        ::waitpid(child, nullptr, 0);
        ::close(master);
        stop(server);
        fs::remove_all(dir);
    }
    std::sort(latencies_ms.begin(), latencies_ms.end());
    if (!latencies_ms.empty()) {
        state.counters["key_ms_median"] = latencies_ms[latencies_ms.size() / 2];
        state.counters["key_ms_p90"] = latencies_ms[latencies_ms.size() * 9 / 10];
        state.counters["key_ms_max"] = latencies_ms.back();
        state.counters["keys_timed"] = static_cast<double>(latencies_ms.size());
    }
    state.counters["reply_bytes"] = static_cast<double>(reply_bytes);
    state.counters["tty_bytes"] = bytes;
    state.counters["tty_per_reply_byte"] = reply_bytes ? bytes / static_cast<double>(reply_bytes) : 0;
    state.counters["reads"] = frames_seen;
}
BENCHMARK(BM_ReplPty)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
