#include "net/http_multi.h"

#include <mutex>

#include "core/panic.h"

namespace ik::net {

void curl_global_once()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

// The loop watch for one socket, kept in curl's per-socket pointer.
struct SocketWatch {
    Loop::WatchId id;
};

short poll_events(int what)
{
    short ev = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        ev |= POLLIN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        ev |= POLLOUT;
    return ev;
}

} // namespace

HttpMulti::HttpMulti(Loop& loop)
    : m_loop(loop)
{
    curl_global_once();
    m_multi.reset(curl_multi_init());
    if (!m_multi)
        panic("curl_multi_init failed");
    curl_multi_setopt(m_multi.get(), CURLMOPT_SOCKETFUNCTION, &HttpMulti::on_socket);
    curl_multi_setopt(m_multi.get(), CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi.get(), CURLMOPT_TIMERFUNCTION, &HttpMulti::on_timer);
    curl_multi_setopt(m_multi.get(), CURLMOPT_TIMERDATA, this);
}

HttpMulti::~HttpMulti()
{
    for (auto& p : m_pending)
        curl_multi_remove_handle(m_multi.get(), p.easy);
    m_pending.clear();
    if (m_timer)
        m_loop.cancel(m_timer);
    // curl_multi_cleanup closes sockets and calls on_socket(REMOVE) for each,
    // which unwatches and frees the SocketWatch.
    m_multi.reset();
}

void HttpMulti::add(CURL* easy, DoneCallback done)
{
    m_pending.push_back(Pending{ easy, std::move(done) });
    curl_multi_add_handle(m_multi.get(), easy); // arms the timer via on_timer
}

void HttpMulti::remove(CURL* easy)
{
    for (size_t i = 0; i < m_pending.size(); ++i) {
        if (m_pending[i].easy == easy) {
            curl_multi_remove_handle(m_multi.get(), easy);
            m_pending.erase(m_pending.begin() + static_cast<long>(i));
            return;
        }
    }
}

int HttpMulti::on_socket(CURL*, curl_socket_t fd, int what, void* self_ptr, void* socketp)
{
    auto* self = static_cast<HttpMulti*>(self_ptr);
    auto* watch = static_cast<SocketWatch*>(socketp);
    if (what == CURL_POLL_REMOVE) {
        if (watch) {
            self->m_loop.unwatch(watch->id);
            std::unique_ptr<SocketWatch> owned(watch);
            curl_multi_assign(self->m_multi.get(), fd, nullptr);
        }
        return 0;
    }
    short ev = poll_events(what);
    if (watch) {
        self->m_loop.set_events(watch->id, ev);
        return 0;
    }
    auto owned = std::make_unique<SocketWatch>();
    owned->id = self->m_loop.watch(fd, ev, [self](int sock, short revents) {
        int mask = 0;
        if (revents & (POLLIN | POLLHUP))
            mask |= CURL_CSELECT_IN;
        if (revents & POLLOUT)
            mask |= CURL_CSELECT_OUT;
        if (revents & (POLLERR | POLLNVAL))
            mask |= CURL_CSELECT_ERR;
        self->action(sock, mask);
    });
    curl_multi_assign(self->m_multi.get(), fd, owned.release());
    return 0;
}

int HttpMulti::on_timer(CURLM*, long timeout_ms, void* self_ptr)
{
    auto* self = static_cast<HttpMulti*>(self_ptr);
    if (self->m_timer) {
        self->m_loop.cancel(self->m_timer);
        self->m_timer = 0;
    }
    if (timeout_ms < 0)
        return 0;
    self->m_timer = self->m_loop.after(std::chrono::milliseconds(timeout_ms), [self] {
        self->m_timer = 0;
        self->action(CURL_SOCKET_TIMEOUT, 0);
    });
    return 0;
}

void HttpMulti::action(curl_socket_t fd, int ev_bitmask)
{
    int running = 0;
    curl_multi_socket_action(m_multi.get(), fd, ev_bitmask, &running);
    collect_done();
}

void HttpMulti::collect_done()
{
    // Finished transfers are detached first and their callbacks run after,
    // so a callback may start the next request (a tool-result follow-up).
    struct Finished {
        DoneCallback done;
        CURLcode result;
    };
    std::vector<Finished> finished;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(m_multi.get(), &left)) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL* easy = msg->easy_handle;
        CURLcode rc = msg->data.result;
        for (size_t i = 0; i < m_pending.size(); ++i) {
            if (m_pending[i].easy == easy) {
                finished.push_back(Finished{ std::move(m_pending[i].done), rc });
                m_pending.erase(m_pending.begin() + static_cast<long>(i));
                break;
            }
        }
        curl_multi_remove_handle(m_multi.get(), easy);
    }
    for (auto& f : finished)
        f.done(f.result);
}

} // namespace ik::net
