#include "store/internal/pg_conn.h"

#include <charconv>

#include "store/internal/util.h"

namespace ik::store::internal {

namespace {
constexpr Oid int8_oid = 20;
constexpr Oid text_oid = 25;

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

Result<PgConn> PgConn::connect(std::string_view url)
{
    std::string u(url);
    std::string shown = redact_url(url);
    char* parse_error = nullptr;
    PQconninfoOption* options = PQconninfoParse(u.c_str(), &parse_error);
    if (!options) {
        std::string why = parse_error ? trimmed(parse_error) : "out of memory";
        PQfreemem(parse_error);
        return fail(ErrorCode::invalid_argument, "invalid PostgreSQL database URL \"{}\": {}", shown, why);
    }
    PQconninfoFree(options);
    PgConn conn(PQconnectdb(u.c_str()), shown);
    if (!conn.m_conn)
        return fail(ErrorCode::store, "cannot connect to PostgreSQL at {}: out of memory", shown);
    if (PQstatus(conn.m_conn.get()) != CONNECTION_OK)
        return fail(ErrorCode::store, "cannot connect to PostgreSQL at {}: {}", shown,
            trimmed(PQerrorMessage(conn.m_conn.get())));
    PQsetNoticeProcessor(conn.m_conn.get(), ignore_notice, nullptr);
    return conn;
}

Result<PgResult> PgConn::check(PGresult* r, std::string_view what)
{
    PgResult result(r);
    ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        m_sqlstate.clear();
        return result;
    }
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    m_sqlstate = state ? state : "";
    std::string message = r ? trimmed(PQresultErrorMessage(r)) : trimmed(PQerrorMessage(m_conn.get()));
    if (message.empty())
        message = trimmed(PQerrorMessage(m_conn.get()));
    return fail(ErrorCode::store, "PostgreSQL {}: {} (while running: {})", m_url, message, what.substr(0, 80));
}

Result<PgResult> PgConn::exec(std::string_view sql)
{
    std::string s(sql);
    return check(PQexec(m_conn.get(), s.c_str()), sql);
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
    std::string s(sql);
    std::vector<const char*> values = value_pointers(p.m_values);
    return check(PQexecParams(m_conn.get(), s.c_str(), static_cast<int>(values.size()), p.m_types.data(), values.data(),
                     p.m_lengths.data(), p.m_formats.data(), 0),
        sql);
}

Result<void> PgConn::prepare(const char* name, std::string_view sql)
{
    std::string s(sql);
    TRY(check(PQprepare(m_conn.get(), name, s.c_str(), 0, nullptr), sql));
    return {};
}

Result<PgResult> PgConn::run(const char* name, const PgParams& p)
{
    std::vector<const char*> values = value_pointers(p.m_values);
    return check(PQexecPrepared(m_conn.get(), name, static_cast<int>(values.size()), values.data(), p.m_lengths.data(),
                     p.m_formats.data(), 0),
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
