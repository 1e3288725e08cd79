#include "store/internal/pg_conn.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <thread>

#include <poll.h>

#include "core/interrupt.h"
#include "store/internal/redact.h"

namespace ik::store::internal {

namespace {
constexpr Oid int8_oid = 20;
constexpr Oid text_oid = 25;
constexpr std::chrono::milliseconds exit_grace{ 1000 };

void ignore_notice(void*, const char*)
{
}

std::string trimmed(const char* message)
{
    std::string m = message ? message : "";
    while (!m.empty() && (m.back() == '\n' || m.back() == ' '))
        m.pop_back();
    return m;
}
} // namespace

int64_t PgResult::integer(int row, int col) const
{
    std::string_view t = text(row, col);
    int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
}

double PgResult::real(int row, int col) const
{
    std::string_view t = text(row, col);
    double v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
}

PgParams& PgParams::text(std::string_view value)
{
    m_types.push_back(text_oid);
    m_values.emplace_back(value);
    m_lengths.push_back(static_cast<int>(value.size()));
    m_formats.push_back(1);
    return *this;
}

PgParams& PgParams::int8(int64_t value)
{
    m_types.push_back(int8_oid);
    m_values.push_back(std::to_string(value));
    m_lengths.push_back(0);
    m_formats.push_back(0);
    return *this;
}

Result<PgConn> PgConn::connect(std::string_view url, std::chrono::milliseconds timeout)
{
    if (auto loaded = libpq().ensure(); !loaded)
        return fail(ErrorCode::store, "{}", loaded.error().message());
    std::string u = escape_password_at(url);
    std::string shown = redact_url(url);
    char* parse_error = nullptr;
    PQconninfoOption* options = pq().PQconninfoParse(u.c_str(), &parse_error);
    if (!options) {
        std::string why = parse_error ? trimmed(parse_error) : "out of memory";
        pq().PQfreemem(parse_error);
        return fail(ErrorCode::invalid_argument, "invalid PostgreSQL database URL \"{}\": {}", shown, why);
    }
    pq().PQconninfoFree(options);
    PgConn conn(std::move(u), std::move(shown), timeout);
    TRY(conn.open_once());
    return conn;
}

Result<void> PgConn::open_once()
{
    using namespace std::chrono;
    auto deadline = steady_clock::now() + m_timeout;
    // Defaults first and the URL last: libpq keeps the last value of a
    // repeated keyword, so what the user wrote in the URL wins.
    std::string connect_s = std::to_string(std::max<int64_t>(1, duration_cast<seconds>(m_timeout).count()));
    std::string user_timeout_ms = std::to_string(m_timeout.count());
    const char* keywords[] = { "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "dbname", nullptr };
    const char* values[]
        = { connect_s.c_str(), "1", "10", "5", "3", user_timeout_ms.c_str(), m_conninfo.c_str(), nullptr };
    m_conn.reset(pq().PQconnectStartParams(keywords, values, 1));
    if (!m_conn)
        return fail(ErrorCode::store, "cannot connect to PostgreSQL at {}: out of memory", m_url);
    PostgresPollingStatusType status = PGRES_POLLING_WRITING;
    while (status != PGRES_POLLING_OK) {
        if (status == PGRES_POLLING_FAILED || pq().PQstatus(m_conn.get()) == CONNECTION_BAD) {
            std::string why = trimmed(pq().PQerrorMessage(m_conn.get()));
            m_conn.reset();
            return fail(ErrorCode::store, "cannot connect to PostgreSQL at {}: {}", m_url, why);
        }
        TRY(wait(status == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline, "connecting"));
        status = pq().PQconnectPoll(m_conn.get());
    }
    pq().PQsetNoticeProcessor(m_conn.get(), ignore_notice, nullptr);
    if (pq().PQsetnonblocking(m_conn.get(), 1) != 0)
        return fail(dropped(ErrorCode::store, "cannot make the connection non-blocking"));
    return {};
}

bool PgConn::lost() const
{
    return !m_conn || pq().PQstatus(m_conn.get()) == CONNECTION_BAD;
}

Result<void> PgConn::reconnect()
{
    using namespace std::chrono;
    m_conn.reset();
    auto deadline = steady_clock::now() + m_timeout;
    for (;;) {
        Result<void> r = open_once();
        if (r)
            return {};
        if (r.error().code() == ErrorCode::interrupted || stopping()
            || steady_clock::now() + milliseconds(200) >= deadline)
            return r;
        // Refused while the server restarts: try again shortly.
        for (int i = 0; i < 4 && !stop_signal_pending(); ++i)
            std::this_thread::sleep_for(milliseconds(50));
    }
}

Error PgConn::dropped(ErrorCode code, std::string message)
{
    // A statement may still be running on the server or half sent: the
    // connection cannot be reused, so it is closed and made anew on demand.
    m_conn.reset();
    return { code, std::move(message) };
}

Result<void> PgConn::wait(short events, std::chrono::steady_clock::time_point deadline, std::string_view what)
{
    using namespace std::chrono;
    // On the way out a write still runs, but a silent server gets a moment,
    // not the full timeout.
    if (stopping())
        deadline = std::min(deadline, steady_clock::now() + exit_grace);
    for (;;) {
        if (stop_signal_pending())
            return fail(
                dropped(ErrorCode::interrupted, fmt::format("interrupted while {} (PostgreSQL at {})", what, m_url)));
        auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
        if (left <= milliseconds(0))
            return fail(dropped(ErrorCode::store,
                fmt::format(
                    "PostgreSQL at {} did not answer within {} ms (while {})", m_url, m_timeout.count(), what)));
        pollfd p{ pq().PQsocket(m_conn.get()), events, 0 };
        int n = ::poll(&p, 1, static_cast<int>(std::min(left, milliseconds(100)).count()));
        if (n > 0)
            return {};
        if (n < 0 && errno != EINTR)
            return fail(dropped(ErrorCode::store, fmt::format("poll: {}", std::strerror(errno))));
    }
}

Result<PgResult> PgConn::finish_send(bool sent, std::string_view what)
{
    auto deadline = std::chrono::steady_clock::now() + m_timeout;
    std::string doing = fmt::format("running {}", what.substr(0, 40));
    if (!sent)
        return check(nullptr, what);
    for (;;) {
        int f = pq().PQflush(m_conn.get());
        if (f == 0)
            break;
        if (f < 0)
            return check(nullptr, what);
        TRY(wait(POLLIN | POLLOUT, deadline, doing));
        if (!pq().PQconsumeInput(m_conn.get()))
            return check(nullptr, what);
    }
    // Every result must be read before the next command; the first error wins.
    PGresult* kept = nullptr;
    for (;;) {
        while (pq().PQisBusy(m_conn.get())) {
            Result<void> w = wait(POLLIN, deadline, doing);
            if (!w) {
                pq().PQclear(kept);
                return fail(std::move(w.error()));
            }
            if (!pq().PQconsumeInput(m_conn.get())) {
                pq().PQclear(kept);
                return check(nullptr, what);
            }
        }
        PGresult* r = pq().PQgetResult(m_conn.get());
        if (!r)
            break;
        ExecStatusType st = kept ? pq().PQresultStatus(kept) : PGRES_COMMAND_OK;
        if (kept && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            pq().PQclear(r);
            continue;
        }
        pq().PQclear(kept);
        kept = r;
    }
    return check(kept, what);
}

Result<PgResult> PgConn::check(PGresult* r, std::string_view what)
{
    PgResult result(r);
    ExecStatusType status = r ? pq().PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        m_sqlstate.clear();
        return result;
    }
    const char* state = r ? pq().PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    m_sqlstate = state ? state : "";
    std::string message;
    if (r)
        message = trimmed(pq().PQresultErrorMessage(r));
    if (message.empty() && m_conn)
        message = trimmed(pq().PQerrorMessage(m_conn.get()));
    if (message.empty())
        message = "the connection was lost";
    return fail(ErrorCode::store, "PostgreSQL {}: {} (while running: {})", m_url, message, what.substr(0, 80));
}

Result<PgResult> PgConn::exec(std::string_view sql)
{
    if (lost())
        return check(nullptr, sql);
    std::string s(sql);
    return finish_send(pq().PQsendQuery(m_conn.get(), s.c_str()) == 1, sql);
}

namespace {
std::vector<const char*> value_pointers(const std::vector<std::string>& values)
{
    std::vector<const char*> out;
    out.reserve(values.size());
    for (const std::string& v : values)
        out.push_back(v.c_str());
    return out;
}
} // namespace

Result<PgResult> PgConn::query(std::string_view sql, const PgParams& p)
{
    if (lost())
        return check(nullptr, sql);
    std::string s(sql);
    std::vector<const char*> values = value_pointers(p.m_values);
    return finish_send(pq().PQsendQueryParams(m_conn.get(), s.c_str(), static_cast<int>(values.size()),
                           p.m_types.data(), values.data(), p.m_lengths.data(), p.m_formats.data(), 0)
            == 1,
        sql);
}

Result<void> PgConn::prepare(const char* name, std::string_view sql)
{
    if (lost())
        return fail(check(nullptr, sql).error());
    std::string s(sql);
    TRY(finish_send(pq().PQsendPrepare(m_conn.get(), name, s.c_str(), 0, nullptr) == 1, sql));
    return {};
}

Result<PgResult> PgConn::run(const char* name, const PgParams& p)
{
    if (lost())
        return check(nullptr, name);
    std::vector<const char*> values = value_pointers(p.m_values);
    return finish_send(pq().PQsendQueryPrepared(m_conn.get(), name, static_cast<int>(values.size()), values.data(),
                           p.m_lengths.data(), p.m_formats.data(), 0)
            == 1,
        name);
}

Result<PgTxn> PgTxn::begin(PgConn& conn)
{
    TRY(conn.exec("BEGIN"));
    return PgTxn(conn);
}

PgTxn::~PgTxn()
{
    if (m_conn)
        (void)m_conn->exec("ROLLBACK");
}

Result<void> PgTxn::commit()
{
    PgConn* conn = m_conn;
    m_conn = nullptr;
    Result<PgResult> r = conn->exec("COMMIT");
    if (!r)
        return fail(std::move(r.error()));
    return {};
}

} // namespace ik::store::internal
