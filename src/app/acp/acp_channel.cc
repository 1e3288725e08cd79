#include "app/acp/acp_channel.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "tui/visible.h"

namespace ik::app::acp {

namespace {

constexpr size_t read_chunk = size_t{ 64 } * 1024;

int set_nonblocking(int fd)
{
    int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    return flags;
}

} // namespace

Channel::Channel(Loop& loop, mem::Arena& parent, int in_fd, int out_fd, size_t line_bytes, Handler handler)
    : m_loop(loop)
    , m_scratch(parent, "acp-message")
    , m_in(in_fd)
    , m_out_fd(out_fd)
    , m_line_bytes(line_bytes)
    , m_handler(std::move(handler))
{
    m_in_flags = set_nonblocking(m_in);
    m_out_flags = set_nonblocking(m_out_fd);
    m_in_watch = m_loop.watch(m_in, POLLIN, [this](int, short) { on_readable(); });
}

Channel::~Channel()
{
    if (m_in_watch)
        m_loop.unwatch(m_in_watch);
    if (m_out_watch)
        m_loop.unwatch(m_out_watch);
    // What is still queued goes out blocking: the editor reads it, or has
    // closed the pipe (then the write fails at once).
    if (m_out_flags >= 0)
        (void)::fcntl(m_out_fd, F_SETFL, m_out_flags);
    if (!m_output_failed) {
        size_t done = 0;
        while (done < m_out.size()) {
            ssize_t n = ::write(m_out_fd, m_out.data() + done, m_out.size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            done += static_cast<size_t>(n);
        }
    }
    if (m_in_flags >= 0)
        (void)::fcntl(m_in, F_SETFL, m_in_flags);
    for (auto& [id, reply] : m_pending)
        reply(fail(ErrorCode::network, "the editor closed the connection"));
}

void Channel::on_readable()
{
    char buf[read_chunk];
    for (;;) {
        ssize_t n = ::read(m_in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n <= 0) {
            m_input_closed = true;
            m_loop.unwatch(m_in_watch);
            m_in_watch = 0;
            break;
        }
        m_raw.append(buf, static_cast<size_t>(n));
        break; // one read per round: the loop stays fair to the model's stream
    }
    drain_lines();
}

void Channel::drain_lines()
{
    size_t from = 0;
    while (!m_paused && from < m_raw.size()) {
        size_t nl = m_raw.find('\n', from);
        size_t to = nl == std::string::npos ? m_raw.size() : nl;
        std::string_view piece = std::string_view(m_raw).substr(from, to - from);
        from = nl == std::string::npos ? m_raw.size() : nl + 1;
        if (!m_discarding) {
            if (m_buffer.size() + piece.size() > m_line_bytes) {
                m_buffer.clear();
                m_buffer.shrink_to_fit();
                m_discarding = true;
            } else {
                m_buffer.append(piece);
            }
        }
        if (nl == std::string::npos)
            break;
        if (m_discarding) {
            m_discarding = false;
            tui::print_visible(stderr, "ik: acp: dropped a message longer than {} bytes\n", m_line_bytes);
            respond_error(jsonrpc::Id{}, jsonrpc::invalid_request,
                fmt::format("message longer than {} bytes: dropped", m_line_bytes));
            continue;
        }
        std::string line = std::move(m_buffer);
        m_buffer.clear();
        handle_line(line);
    }
    m_raw.erase(0, from);
    // Paused with bytes left: stop reading until resumed, so m_raw stays
    // one read's worth.
    if (m_in_watch)
        m_loop.set_events(m_in_watch, m_paused && !m_raw.empty() ? 0 : POLLIN);
}

void Channel::set_paused(bool paused)
{
    m_paused = paused;
    if (!paused && !m_raw.empty())
        m_loop.after(std::chrono::milliseconds(0), [this] { drain_lines(); });
}

void Channel::handle_line(std::string_view line)
{
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos)
        return;
    m_scratch.reset();
    jsonrpc::Message m = jsonrpc::parse(m_scratch, line);
    dispatch(m);
    m_scratch.reset();
}

void Channel::dispatch(const jsonrpc::Message& m)
{
    switch (m.kind) {
    case jsonrpc::Kind::invalid:
        tui::print_visible(stderr, "ik: acp: {}\n", m.problem);
        respond_error(m.id, m.error.code, m.error.message);
        return;
    case jsonrpc::Kind::request:
    case jsonrpc::Kind::notification:
        m_handler(m);
        return;
    case jsonrpc::Kind::response:
    case jsonrpc::Kind::error: {
        if (m.id.is_string || m.id.is_null)
            return; // not one of ours (ik's ids are integers)
        auto it = m_pending.find(m.id.number);
        if (it == m_pending.end())
            return; // forgotten (a cancelled turn's permission), or unknown
        Reply reply = std::move(it->second);
        m_pending.erase(it);
        if (m.kind == jsonrpc::Kind::response)
            reply(m.result);
        else
            reply(fail(ErrorCode::provider, "the editor answered error {}: {}", m.error.code, m.error.message));
        return;
    }
    }
}

void Channel::respond(const jsonrpc::Id& id, std::string_view result_json)
{
    send(jsonrpc::response(id, result_json));
}

void Channel::respond_error(const jsonrpc::Id& id, int64_t code, std::string_view message)
{
    send(jsonrpc::error_response(id, code, message));
}

void Channel::notify(std::string_view method, std::string_view params_json)
{
    send(jsonrpc::notification(method, params_json));
}

int64_t Channel::request(std::string_view method, std::string_view params_json, Reply reply)
{
    int64_t id = m_next_id++;
    m_pending.emplace(id, std::move(reply));
    send(jsonrpc::request(id, method, params_json));
    return id;
}

void Channel::send(std::string_view line)
{
    if (m_output_failed)
        return;
    m_out += line;
    m_out += '\n';
    flush();
}

void Channel::flush()
{
    while (!m_out.empty()) {
        ssize_t n = ::write(m_out_fd, m_out.data(), m_out.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n <= 0) {
            tui::print_visible(stderr, "ik: acp: cannot write to stdout: {}\n", std::strerror(errno));
            m_output_failed = true;
            m_out.clear();
            break;
        }
        m_out.erase(0, static_cast<size_t>(n));
    }
    if (!m_out.empty() && !m_out_watch)
        m_out_watch = m_loop.watch(m_out_fd, POLLOUT, [this](int, short) { flush(); });
    else if (m_out.empty() && m_out_watch) {
        m_loop.unwatch(m_out_watch);
        m_out_watch = 0;
    }
}

} // namespace ik::app::acp
