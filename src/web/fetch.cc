#include "web/fetch.h"

#include <fmt/format.h>
#include <sys/socket.h>

#include "core/panic.h"
#include "net/http_handles.h"
#include "net/http_multi.h"
#include "web/content_type.h"
#include "web/url.h"

namespace ik::web {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::string_view user_agent = "Mozilla/5.0 (compatible; ik web_fetch)";

bool is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string seconds(std::chrono::milliseconds ms)
{
    return ms.count() % 1000 == 0 ? fmt::format("{} s", ms.count() / 1000) : fmt::format("{} ms", ms.count());
}

// "host" or "host:port" as web.allow_hosts would list it.
std::string allow_entry(const Url& url)
{
    std::string host = url.host.find(':') != std::string::npos ? fmt::format("[{}]", url.host) : url.host;
    return fmt::format("{}:{}", host, url.port);
}

class FetchImpl final : public Fetch {
public:
    FetchImpl(Loop& loop, FetchSettings settings, Done done)
        : m_loop(loop)
        , m_settings(std::move(settings))
        , m_done(std::move(done))
        , m_multi(loop)
        , m_deadline(Clock::now() + m_settings.timeout)
    {
        m_easy.reset(curl_easy_init());
        if (!m_easy)
            panic("curl_easy_init failed");
        CURL* e = m_easy.get();
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); // hop by hop, below
        curl_easy_setopt(e, CURLOPT_PROXY, ""); // no proxy, whatever the environment says
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); // what curl can decode; the cap counts decoded bytes
        curl_easy_setopt(e, CURLOPT_USERAGENT, std::string(user_agent).c_str());
        m_headers.reset(curl_slist_append(nullptr,
            "Accept: text/html, application/xhtml+xml, text/markdown;q=0.9, text/plain;q=0.9, "
            "application/json;q=0.8, */*;q=0.1"));
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, m_headers.get());
        curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &FetchImpl::open_socket);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &FetchImpl::on_write);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, m_errbuf);
    }

    ~FetchImpl() override
    {
        if (m_deliver)
            m_loop.cancel(m_deliver);
        m_multi.remove(m_easy.get());
    }
    FetchImpl(const FetchImpl&) = delete;
    FetchImpl& operator=(const FetchImpl&) = delete;

    void start_hop(std::string_view url_text)
    {
        auto url = parse_url(url_text);
        if (!url) {
            finish(m_result.redirects == 0 ? fail(url.error())
                                           : fail(ErrorCode::invalid_argument, "{} redirected to {}: {}", m_hop.text,
                                               url_text, url.error().message()));
            return;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - Clock::now());
        if (left <= 0ms) {
            finish(fail(timed_out()));
            return;
        }
        m_hop = std::move(*url);
        m_body.clear();
        m_truncated = false;
        m_checked_type = false;
        m_binary_type.clear();
        m_refusal.clear();
        m_errbuf[0] = '\0';
        CURL* e = m_easy.get();
        curl_easy_setopt(e, CURLOPT_URL, m_hop.text.c_str());
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
        m_multi.add(e, [this](CURLcode rc) { on_done(rc); });
    }

private:
    Error timed_out() const
    {
        return Error::make(ErrorCode::timeout, "{}: timed out after {} (web.timeout)",
            m_hop.text.empty() ? std::string("the fetch") : m_hop.text, seconds(m_settings.timeout));
    }

    // The one place a connection is allowed or not: curl calls this with
    // the resolved address right before it connects (every hop, every
    // address it tries).
    static curl_socket_t open_socket(void* self_ptr, curlsocktype purpose, curl_sockaddr* address)
    {
        auto* self = static_cast<FetchImpl*>(self_ptr);
        if (purpose != CURLSOCKTYPE_IPCXN)
            return CURL_SOCKET_BAD;
        AddressClass c = classify(&address->addr);
        if (c != AddressClass::global
            && !host_allowed(self->m_settings.allow_hosts, self->m_hop.host, self->m_hop.port)) {
            if (self->m_refusal.empty()) { // the first refused address names the problem
                std::string_view kind = describe(c);
                self->m_refusal = fmt::format("refused to connect to {} ({}, {} {} address): web_fetch reaches "
                                              "only public addresses unless the host is listed in web.allow_hosts "
                                              "(add \"{}\" or \"{}\" to allow it)",
                    self->m_hop.text, address_text(&address->addr), kind.starts_with('u') ? "an" : "a", kind,
                    self->m_hop.host, allow_entry(self->m_hop));
            }
            return CURL_SOCKET_BAD;
        }
        return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    }

    static size_t on_write(char* data, size_t size, size_t count, void* self_ptr)
    {
        auto* self = static_cast<FetchImpl*>(self_ptr);
        size_t n = size * count;
        if (!self->m_checked_type) {
            self->m_checked_type = true;
            long status = 0;
            curl_easy_getinfo(self->m_easy.get(), CURLINFO_RESPONSE_CODE, &status);
            if (is_redirect(status))
                return 0; // the headers say where to; the body is not wanted
            const char* type = nullptr;
            curl_easy_getinfo(self->m_easy.get(), CURLINFO_CONTENT_TYPE, &type);
            if (type && *type && body_kind(type, std::string_view(data, n)) == BodyKind::binary) {
                self->m_binary_type = media_type(type);
                return 0;
            }
        }
        size_t room = self->m_settings.max_bytes - self->m_body.size();
        if (n > room) {
            self->m_body.append(data, room);
            self->m_truncated = true;
            return 0; // stops the transfer: the rest is not wanted
        }
        self->m_body.append(data, n);
        return n;
    }

    void on_done(CURLcode rc)
    {
        CURL* e = m_easy.get();
        long status = 0;
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        bool stopped_on_purpose = rc == CURLE_WRITE_ERROR && (m_truncated || is_redirect(status));
        if (rc != CURLE_OK && !stopped_on_purpose) {
            if (!m_refusal.empty())
                finish(fail(Error(ErrorCode::denied,
                    m_result.redirects == 0 ? m_refusal : fmt::format("after a redirect: {}", m_refusal))));
            else if (!m_binary_type.empty())
                finish(fail(ErrorCode::invalid_argument,
                    "{} is {} content, which web_fetch does not read (it returns HTML as Markdown, and text, JSON "
                    "and XML as they are)",
                    m_hop.text, m_binary_type));
            else if (rc == CURLE_OPERATION_TIMEDOUT)
                finish(fail(timed_out()));
            else
                finish(fail(ErrorCode::network, "{}: {}{}{}", m_hop.text, curl_easy_strerror(rc),
                    m_errbuf[0] ? ": " : "", m_errbuf));
            return;
        }
        if (is_redirect(status)) {
            const char* next = nullptr;
            curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &next);
            if (next && *next) {
                if (++m_result.redirects > m_settings.max_redirects) {
                    finish(fail(ErrorCode::network, "{}: too many redirects (more than {})", m_hop.text,
                        m_settings.max_redirects));
                    return;
                }
                std::string target = next; // curl's buffer is reused by the next transfer
                start_hop(target);
                return;
            }
        }
        const char* type = nullptr;
        curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &type);
        m_result.url = m_hop.text;
        m_result.status = status;
        m_result.content_type = type ? type : "";
        m_result.body = std::move(m_body);
        m_result.truncated = m_truncated;
        finish(std::move(m_result));
    }

    // From the loop, never from inside curl: `done` may destroy this.
    void finish(Result<FetchResult> r)
    {
        m_deliver = m_loop.after(0ms, [this, r = std::move(r)]() mutable {
            m_deliver = 0;
            Done done = std::move(m_done);
            done(std::move(r));
        });
    }

    Loop& m_loop;
    FetchSettings m_settings;
    Done m_done;
    net::CurlEasy m_easy; // before m_multi: the multi detaches it on destruction
    net::CurlSlist m_headers;
    net::HttpMulti m_multi;
    Clock::time_point m_deadline;
    Url m_hop;
    FetchResult m_result;
    std::string m_body;
    bool m_truncated = false;
    bool m_checked_type = false;
    std::string m_binary_type;
    std::string m_refusal;
    char m_errbuf[CURL_ERROR_SIZE] = {};
    Loop::TimerId m_deliver = 0;
};

} // namespace

std::unique_ptr<Fetch> Fetch::start(Loop& loop, FetchSettings settings, std::string_view url, Done done)
{
    auto fetch = std::make_unique<FetchImpl>(loop, std::move(settings), std::move(done));
    fetch->start_hop(url);
    return fetch;
}

} // namespace ik::web
