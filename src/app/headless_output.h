// Headless output: turns normalized events into what `ik -p` prints.
//
//   text         text deltas written to stdout as they arrive (flushed within
//                20 ms when stdout is not a terminal, at once when it is)
//   stream-json  one JSON object per event, one per line, as they arrive
//   json         nothing until the end, then one object:
//                {text, thinking, tool_calls:[{id,name,arguments}],
//                 usage:{input,output,cached,reasoning}, cost_usd, finish_reason, model,
//                 sources:[{url,title}]}   (sources: only when a web search ran)
//
// A reply's web search sources (add_sources) follow its text: "Sources:" and
// numbered links in text, one {"type":"sources",...} line in stream-json.
//
// What the json format needs is accumulated in the run arena; the stream
// formats reuse one line buffer, so steady-state streaming does not allocate.
//
// On a terminal every format is rendered visibly (tui/visible.h): an escape
// sequence in the model's text shows as "␛[2J" instead of clearing the
// screen. To a pipe or a file the bytes are exact, so scripts get the model's
// text unchanged (the JSON formats escape C0 controls either way).
//
// Owns: its line buffer. Borrows: the loop (flush timer) and the run arena,
// which must outlive it. Writes to stdout only.
#pragma once

#include <cstdio>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/cli.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/loop.h"
#include "llm/event.h"
#include "store/records.h"
#include "tui/visible.h"

namespace ik::app {

class HeadlessOutput final : public llm::StreamSink {
public:
    HeadlessOutput(Loop& loop, mem::Arena& arena, OutputFormat format, std::FILE* out);
    ~HeadlessOutput() override;

    Result<void> on_event(const llm::Event& event) override;

    // The run ended (successfully when `error` is null). Writes the json
    // object, or a final newline after streamed text, and flushes. The json
    // error's category is `category` when given, else the error code's name.
    void finish(const Error* error, std::string_view category = {});

    bool wrote_text() const { return m_text_bytes > 0; }

    // The session's cost so far (US dollars, approximate), reported by json
    // as "cost_usd" next to the usage.
    void set_cost(double usd) { m_cost_usd = usd; }

    // The agent loop: a new model round starts (json keeps only the last
    // round's text; tool calls and usage accumulate over rounds), and a tool
    // call finished (json reports results with their calls; stream-json
    // writes a tool_result line).
    void begin_round();
    void add_tool_result(std::string_view id, std::string_view name, std::string_view content, bool is_error);
    // A finished reply's sources (agent::ReplySources): under its text.
    void add_sources(std::span<const store::SourceRecord> sources);

private:
    struct ToolCall {
        int index;
        std::pmr::string id, name, arguments, result;
        bool has_result = false;
        bool is_error = false;
    };
    void write(std::string_view bytes);
    void put(std::string_view bytes);
    void schedule_flush();
    ToolCall& call_at(int index);

    Loop& m_loop;
    mem::Arena& m_arena;
    OutputFormat m_format;
    std::FILE* m_out;
    bool m_tty = false;
    tui::VisibleStream m_visible_stream; // on a terminal
    std::string m_visible;
    Loop::TimerId m_flush_timer = 0;
    std::string m_line;
    size_t m_text_bytes = 0;
    bool m_ends_with_newline = true;

    std::pmr::string m_text;
    std::pmr::string m_thinking;
    std::pmr::string m_model;
    std::pmr::vector<ToolCall> m_calls;
    llm::Usage m_usage; // the current round's (cumulative within a round)
    llm::Usage m_usage_total; // the finished rounds'
    double m_cost_usd = 0;
    int m_index_base = 0;
    std::pmr::string m_finish;
    std::string m_sources_json; // json: the run's sources, as array elements
    std::vector<std::string> m_source_urls; // json: those already listed
};

// Appends `s` as a JSON string literal (quoted, escaped) to `out`.
void append_json_string(std::string& out, std::string_view s);

} // namespace ik::app
