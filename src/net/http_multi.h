// libcurl's multi interface driven by ik::Loop (design.md §6).
//
// curl tells us which sockets it wants watched (CURLMOPT_SOCKETFUNCTION) and
// when it next needs a timeout call (CURLMOPT_TIMERFUNCTION); HttpMulti maps
// those onto loop.watch() and loop.after(), and calls
// curl_multi_socket_action() when the loop reports activity. There are no
// threads and no curl_multi_perform() polling: an idle transfer costs nothing.
//
//   HttpMulti multi(loop);
//   multi.add(easy, [&](CURLcode rc) { ... });  // called once, from the loop
//   multi.remove(easy);                         // abort; the callback is not called
//
// Owns: the CURLM handle and its loop watches/timer. Borrows: the loop and
// every added easy handle (the caller keeps them alive until done or removed).
#pragma once

#include <functional>
#include <vector>

#include "core/loop.h"
#include "net/http_handles.h"

namespace ik::net {

class HttpMulti {
public:
    using DoneCallback = std::function<void(CURLcode result)>;

    explicit HttpMulti(Loop& loop);
    ~HttpMulti();
    HttpMulti(const HttpMulti&) = delete;
    HttpMulti& operator=(const HttpMulti&) = delete;

    Loop& loop() { return m_loop; }

    // Starts `easy`. `done` runs from the loop (never from inside add()).
    void add(CURL* easy, DoneCallback done);
    // Stops `easy` without calling its callback. Must not be called from
    // inside that handle's own write/header callback.
    void remove(CURL* easy);

private:
    struct Pending {
        CURL* easy;
        DoneCallback done;
    };

    static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socketp);
    static int on_timer(CURLM* multi, long timeout_ms, void* self);
    void action(curl_socket_t fd, int ev_bitmask);
    void collect_done();

    Loop& m_loop;
    CurlMulti m_multi;
    Loop::TimerId m_timer = 0;
    std::vector<Pending> m_pending;
};

} // namespace ik::net
