// Thin RAII owners for libpq handles, with errors as values.
//
// PgConn owns one PGconn*; PgResult owns one PGresult*. Parameters are sent
// with explicit types: text as binary (raw bytes with a length, so a
// string_view needs no terminating NUL), integers as decimal text. Server
// notices are silenced: the store reports what matters as errors.
//
// Nothing waits on the server unbounded. The connection is non-blocking and
// every wait (connect, send, result) polls the socket in short slices with a
// deadline (`timeout`, per connect and per statement) and gives up at once
// when a terminating signal is pending (core/interrupt.h), so a frozen server, or one that
// accepts TCP and never answers, costs at most the timeout and never keeps
// SIGINT/SIGTERM waiting. TCP keepalives and tcp_user_timeout let the kernel
// notice a dead peer between statements too. After a timeout, an interrupt or
// a lost connection the PGconn is dropped (lost() is true); reconnect() makes
// a new one to the same URL, and the caller redoes its session setup.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/internal/pq_library.h"

namespace ik::store::internal {

class PgResult {
public:
    explicit PgResult(PGresult* r)
        : m_result(r)
    {
    }
    int rows() const { return pq().PQntuples(m_result.get()); }
    std::string_view text(int row, int col) const
    {
        return { pq().PQgetvalue(m_result.get(), row, col),
            static_cast<size_t>(pq().PQgetlength(m_result.get(), row, col)) };
    }
    int64_t integer(int row, int col) const;
    double real(int row, int col) const;
    bool boolean(int row, int col) const { return text(row, col) == "t"; }

private:
    struct Clear {
        void operator()(PGresult* r) const { pq().PQclear(r); }
    };
    std::unique_ptr<PGresult, Clear> m_result;
};

class PgParams {
public:
    PgParams& text(std::string_view value);
    PgParams& int8(int64_t value);

private:
    friend class PgConn;
    std::vector<Oid> m_types;
    std::vector<std::string> m_values; // owned copies; stable c_str()
    std::vector<int> m_lengths;
    std::vector<int> m_formats;
};

class PgConn {
public:
    // `url` is a postgres:// URI or a key=value conninfo string; settings in
    // it (connect_timeout, keepalives…) win over ik's defaults.
    static Result<PgConn> connect(std::string_view url, std::chrono::milliseconds timeout);

    // One or more statements without parameters (simple query protocol).
    Result<PgResult> exec(std::string_view sql);
    Result<PgResult> query(std::string_view sql, const PgParams& params);
    Result<void> prepare(const char* name, std::string_view sql);
    Result<PgResult> run(const char* name, const PgParams& params);

    // The SQLSTATE of the last failed command ("23505" unique violation).
    const std::string& last_sqlstate() const { return m_sqlstate; }
    const std::string& redacted_url() const { return m_url; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    // The connection is gone (dropped after a timeout or interrupt, closed by
    // the server, a network failure): statements fail until reconnect().
    bool lost() const;
    // A new connection to the same URL, tried until the timeout (a server
    // restarting refuses connections for a moment). Session state (prepared
    // statements, settings, advisory locks) starts empty.
    Result<void> reconnect();

private:
    struct Finish {
        void operator()(PGconn* c) const { pq().PQfinish(c); }
    };
    PgConn(std::string conninfo, std::string url, std::chrono::milliseconds timeout)
        : m_conninfo(std::move(conninfo))
        , m_url(std::move(url))
        , m_timeout(timeout)
    {
    }
    Result<void> open_once();
    // Waits for `events` on the socket until `deadline`.
    Result<void> wait(short events, std::chrono::steady_clock::time_point deadline, std::string_view what);
    // After a PQsend*: flushes, waits for and collects the result.
    Result<PgResult> finish_send(bool sent, std::string_view what);
    Result<PgResult> check(PGresult* r, std::string_view what);
    Error dropped(ErrorCode code, std::string message);

    std::unique_ptr<PGconn, Finish> m_conn;
    std::string m_conninfo; // as given, password included: for reconnect()
    std::string m_url; // redacted, for messages
    std::chrono::milliseconds m_timeout;
    std::string m_sqlstate;
};

// A transaction on a PgConn: rolled back unless committed.
class PgTxn {
public:
    static Result<PgTxn> begin(PgConn& conn);
    PgTxn(PgTxn&& o) noexcept
        : m_conn(o.m_conn)
    {
        o.m_conn = nullptr;
    }
    PgTxn& operator=(PgTxn&&) = delete;
    ~PgTxn();
    Result<void> commit();

private:
    explicit PgTxn(PgConn& conn)
        : m_conn(&conn)
    {
    }
    PgConn* m_conn;
};

} // namespace ik::store::internal
