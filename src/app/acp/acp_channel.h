// The editor's end of `ik acp`: newline-delimited JSON-RPC 2.0 on stdin and
// stdout, on ik's event loop (design.md §6), framed and classified by
// net/jsonrpc.h.
//
// Input: stdin is read non-blocking into a line buffer bounded by
// `line_bytes`. A line longer than that is dropped up to its newline and
// answered with an invalid-request error (id null), so the stream stays in
// step; a line that is not JSON-RPC is answered with the error parse()
// chose; empty lines are skipped. Each message is parsed into a scratch
// arena that is reset after it is handled: a handler that answers later
// copies what it needs (OwnedId).
//
// Output: every message is one line on stdout, queued and written as stdout
// takes it (non-blocking, POLLOUT), so a slow editor never blocks the loop.
// Nothing else ever writes to stdout: logs go to stderr.
//
// Requests ik sends (session/request_permission, fs/read_text_file) get an
// id and a callback that runs once with the result, or with an error when
// the editor answers with one or the channel closes.
//
// Owns: the buffers, the pending callbacks, a scratch arena (child of
// `parent`). Borrows: the loop and the two fds (restores their flags).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/arena.h"
#include "core/json.h"
#include "core/loop.h"
#include "core/result.h"
#include "net/jsonrpc.h"

namespace ik::app::acp {

namespace jsonrpc = net::jsonrpc;

// A request id kept past its message's scratch arena.
struct OwnedId {
    int64_t number = 0;
    std::string text;
    bool is_string = false;
    bool is_null = true;

    static OwnedId of(const jsonrpc::Id& id) { return { id.number, std::string(id.text), id.is_string, id.is_null }; }
    jsonrpc::Id view() const { return { .number = number, .text = text, .is_string = is_string, .is_null = is_null }; }
};

class Channel {
public:
    // Requests and notifications from the editor; the message (and its JSON)
    // is valid only during the call.
    using Handler = std::function<void(const jsonrpc::Message&)>;
    // The editor's answer to one of ik's requests; the JSON is valid only
    // during the call.
    using Reply = std::function<void(Result<const json::value*>)>;

    Channel(Loop& loop, mem::Arena& parent, int in_fd, int out_fd, size_t line_bytes, Handler handler);
    ~Channel();
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    void respond(const jsonrpc::Id& id, std::string_view result_json);
    void respond_error(const jsonrpc::Id& id, int64_t code, std::string_view message);
    void notify(std::string_view method, std::string_view params_json);
    // Returns the id, for forget().
    int64_t request(std::string_view method, std::string_view params_json, Reply reply);
    // Drops a request's callback (its answer, if it comes, is ignored).
    void forget(int64_t id) { m_pending.erase(id); }

    // stdin reached its end (or failed): the editor is gone.
    bool input_closed() const { return m_input_closed; }
    // Everything queued has been written (or stdout failed).
    bool output_drained() const { return m_out.empty() || m_output_failed; }
    // While paused no message is handled (a nested loop run must not
    // re-enter a handler); bytes keep being buffered.
    void set_paused(bool paused);

private:
    void on_readable();
    void handle_line(std::string_view line);
    void dispatch(const jsonrpc::Message& m);
    void drain_lines();
    void send(std::string_view line);
    void flush();

    Loop& m_loop;
    mem::Arena m_scratch;
    int m_in;
    int m_out_fd;
    int m_in_flags = -1;
    int m_out_flags = -1;
    size_t m_line_bytes;
    Handler m_handler;
    Loop::WatchId m_in_watch = 0;
    Loop::WatchId m_out_watch = 0;
    std::string m_raw; // read but not yet split: at most one read's worth (reading stops while paused)
    std::string m_buffer; // the unfinished line; never more than m_line_bytes
    bool m_discarding = false; // inside an oversized line, up to its newline
    bool m_paused = false;
    bool m_input_closed = false;
    bool m_output_failed = false;
    std::string m_out; // queued output not yet written
    int64_t m_next_id = 1;
    std::map<int64_t, Reply> m_pending;
};

} // namespace ik::app::acp
