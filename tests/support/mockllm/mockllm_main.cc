// ik-mockllm: a scripted LLM server for tests and for trying ik by hand.
//
//   ik-mockllm --port 0 --script replies.json --port-file port.txt --log requests.jsonl
//
// Binds 127.0.0.1 only. Answers each POST with the next scripted response,
// in the wire format implied by the path (see script.h, docs/testing.md).
// Stops by itself after --max-seconds or --max-requests, whichever first.
// Threads are fine here: this is test support, not ik.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <boost/json.hpp>
#include <httplib.h>

#include "script.h"

namespace {

std::atomic<bool> g_stopping{ false };

void sleep_ms(int ms)
{
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!g_stopping && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 20)));
}

// Plays a flood action; false when the client hung up or the server stops.
bool flood(const mockllm::Action& a, httplib::DataSink& sink)
{
    if (a.bytes.empty())
        return true;
    // Small units are batched into ~64 KiB writes so a flood is fast.
    std::string batch = a.bytes;
    while (a.ms == 0 && batch.size() < 65536)
        batch += a.bytes;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(a.for_ms);
    size_t sent = 0;
    while (!g_stopping) {
        if (a.for_ms > 0 && std::chrono::steady_clock::now() >= until)
            return true;
        std::string_view piece = batch;
        if (a.total_bytes > 0)
            piece = piece.substr(0, a.total_bytes - sent);
        if (!sink.write(piece.data(), piece.size()))
            return false;
        sent += piece.size();
        if (a.total_bytes > 0 && sent >= a.total_bytes)
            return true;
        if (a.ms > 0)
            sleep_ms(a.ms);
    }
    return false;
}

int usage()
{
    std::cerr << "usage: ik-mockllm --script FILE [--port N (0: any)] [--port-file F] [--log F.jsonl]\n"
                 "                  [--max-seconds S (60)] [--max-requests N (100)]\n";
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    int port = 0;
    std::string script_path, port_file, log_path;
    int max_seconds = 60;
    int max_requests = 100;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--port")
            port = std::atoi(next().c_str());
        else if (a == "--script")
            script_path = next();
        else if (a == "--port-file")
            port_file = next();
        else if (a == "--log")
            log_path = next();
        else if (a == "--max-seconds")
            max_seconds = std::atoi(next().c_str());
        else if (a == "--max-requests")
            max_requests = std::atoi(next().c_str());
        else
            return usage();
    }
    if (script_path.empty())
        return usage();
    std::ifstream in(script_path);
    if (!in) {
        std::cerr << "ik-mockllm: cannot read " << script_path << "\n";
        return 1;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    mockllm::Script script;
    std::string error;
    if (!mockllm::parse_script(ss.str(), script, error)) {
        std::cerr << "ik-mockllm: " << script_path << ": " << error << "\n";
        return 1;
    }
    if (script.max_requests > 0)
        max_requests = script.max_requests;

    std::mutex mu;
    size_t next_response = 0;
    std::atomic<int> handled{ 0 };
    // Requests being answered now; each log line says how many (with its own),
    // so a test or bench can tell that streams really overlapped.
    std::atomic<int> in_flight{ 0 };
    std::ofstream log;
    if (!log_path.empty())
        log.open(log_path, std::ios::app);

    httplib::Server server;
    // cpp-httplib's default pool has 8 threads: ten concurrent sub-agents
    // would queue behind it. The library's API takes ownership of the pool.
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    // Ollama's model description: not a scripted response and not counted
    // against --max-requests; logged like the others.
    server.Post("/api/show", [&](const httplib::Request& req, httplib::Response& res) {
        {
            std::lock_guard lock(mu);
            if (log.is_open()) {
                boost::system::error_code ec;
                boost::json::value body = boost::json::parse(req.body, ec);
                boost::json::object line{ { "path", req.path }, { "format", "ollama-show" },
                    { "body", ec ? boost::json::value(req.body) : body } };
                log << boost::json::serialize(line) << "\n" << std::flush;
            }
        }
        if (!script.has_show) {
            res.status = 404;
            res.set_content("404 page not found", "text/plain");
            return;
        }
        sleep_ms(static_cast<int>(script.show_delay_ms));
        res.status = script.show_status;
        res.set_content(script.show_body, "application/json");
    });
    server.Post(R"(/.*)", [&](const httplib::Request& req, httplib::Response& res) {
        mockllm::Format format = mockllm::format_for_path(req.path);
        const mockllm::Response* r = nullptr;
        long tokens = script.window.tokens > 0 ? mockllm::prompt_tokens(script.window, req.body) : 0;
        bool too_long = script.window.tokens > 0 && tokens > script.window.tokens;
        // Counts this request until its response is fully sent (the guard
        // rides in the streaming provider, which outlives this handler).
        int now_in_flight = ++in_flight;
        auto in_flight_guard = std::shared_ptr<void>(nullptr, [&in_flight](void*) { --in_flight; });
        {
            std::lock_guard lock(mu);
            if (log.is_open()) {
                boost::json::object line{ { "path", req.path }, { "format", mockllm::format_name(format) },
                    { "in_flight", now_in_flight } };
                boost::json::object headers;
                for (const char* h :
                    { "authorization", "x-api-key", "x-goog-api-key", "anthropic-version", "content-type" })
                    if (req.has_header(h))
                        headers[h] = req.get_header_value(h);
                line["headers"] = headers;
                boost::system::error_code ec;
                boost::json::value body = boost::json::parse(req.body, ec);
                line["body"] = ec ? boost::json::value(req.body) : body;
                log << boost::json::serialize(line) << "\n" << std::flush;
            }
            for (const auto& m : script.matched)
                if (!r && req.body.find(m.match) != std::string::npos)
                    r = &m;
            if (!r && !too_long && next_response < script.responses.size())
                r = &script.responses[next_response++];
        }
        ++handled;
        if (format == mockllm::Format::unknown) {
            res.status = 404;
            res.set_content("{\"error\": \"ik-mockllm: unknown path " + req.path + "\"}", "application/json");
            return;
        }
        if (too_long) {
            res.status = 400;
            res.set_content(mockllm::context_error_body(format, tokens, script.window.tokens), "application/json");
            return;
        }
        if (!r) {
            res.status = 400;
            res.set_content(
                R"({"error": {"message": "ik-mockllm: script exhausted", "type": "invalid_request_error"}})",
                "application/json");
            return;
        }
        for (const auto& [k, v] : r->headers)
            res.set_header(k, v);
        if (r->status != 200) {
            res.status = r->status;
            res.set_content(
                r->body.empty() ? mockllm::default_error_body(format, r->status) : r->body, "application/json");
            return;
        }
        // Back-to-back sends go out as one write (up to 16 KiB), as a fast
        // server's would; a delay, stall or drop still splits the stream.
        mockllm::Response counted;
        if (script.window.tokens > 0 && !r->usage.present) {
            counted = *r;
            counted.usage = mockllm::Usage{ tokens, 16, 0, 0, true };
            r = &counted;
        }
        std::vector<mockllm::Action> rendered = mockllm::render(*r, format);
        auto actions = std::make_shared<std::vector<mockllm::Action>>();
        for (auto& a : rendered) {
            if (a.kind == mockllm::Action::Kind::send && !actions->empty()
                && actions->back().kind == mockllm::Action::Kind::send && actions->back().bytes.size() < 16384)
                actions->back().bytes += a.bytes;
            else
                actions->push_back(std::move(a));
        }
        res.set_chunked_content_provider(
            "text/event-stream", [actions, in_flight_guard](size_t, httplib::DataSink& sink) {
                for (const auto& a : *actions) {
                    switch (a.kind) {
                    case mockllm::Action::Kind::send:
                        if (!sink.write(a.bytes.data(), a.bytes.size()))
                            return false;
                        break;
                    case mockllm::Action::Kind::sleep:
                        sleep_ms(a.ms);
                        break;
                    case mockllm::Action::Kind::stall:
                        sleep_ms(a.ms);
                        return false;
                    case mockllm::Action::Kind::drop:
                        return false; // closes without the final chunk
                    case mockllm::Action::Kind::flood:
                        if (!flood(a, sink))
                            return false;
                        break;
                    }
                }
                sink.done();
                return true;
            });
    });

    if (!server.bind_to_port("127.0.0.1", port) && port != 0) {
        std::cerr << "ik-mockllm: cannot bind 127.0.0.1:" << port << "\n";
        return 1;
    }
    if (port == 0)
        port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) {
        std::cerr << "ik-mockllm: cannot bind\n";
        return 1;
    }
    if (!port_file.empty()) {
        std::string tmp = port_file + ".tmp";
        std::ofstream(tmp) << port << "\n";
        std::rename(tmp.c_str(), port_file.c_str());
    }
    std::cout << port << std::endl;

    std::thread watchdog([&] {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
        while (!g_stopping && std::chrono::steady_clock::now() < deadline && handled < max_requests)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (handled >= max_requests)
            std::this_thread::sleep_for(std::chrono::milliseconds(200)); // let the last reply finish
        g_stopping = true;
        server.stop();
    });
    server.listen_after_bind();
    g_stopping = true;
    watchdog.join();
    return 0;
}
