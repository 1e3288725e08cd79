#include "store/internal/sqlite_db.h"

namespace ik::store::internal {

namespace {
// A file: URI for `path` (RFC 3986 escapes for what would end the path).
std::string file_uri(const std::string& path, std::string_view query)
{
    std::string uri = "file:";
    for (char c : path) {
        if (c == '%' || c == '?' || c == '#')
            uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        else
            uri += c;
    }
    uri += query;
    return uri;
}
} // namespace

Result<Db> Db::open(const std::string& path, Mode mode)
{
    sqlite3* raw = nullptr;
    int rc = SQLITE_OK;
    switch (mode) {
    case Mode::read_write:
        rc = sqlite3_open_v2(
            path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
        break;
    case Mode::read_only:
        rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
        break;
    case Mode::immutable:
        rc = sqlite3_open_v2(file_uri(path, "?immutable=1").c_str(), &raw,
            SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
        break;
    }
    Db db(raw, path);
    if (rc != SQLITE_OK)
        return fail(db.error(fmt::format("cannot open SQLite database {}", path)));
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

Result<void> Db::exec(std::string_view sql)
{
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string what = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        return fail(ErrorCode::store, "{}: {} (while running: {})", m_path, what, sql.substr(0, 80));
    }
    return {};
}

Error Db::error(std::string_view what) const
{
    if (!m_db)
        return Error::make(ErrorCode::store, "{}: out of memory", what);
    return Error::make(ErrorCode::store, "{}: {}: {}", m_path, what, sqlite3_errmsg(m_db.get()));
}

Result<Stmt> Stmt::prepare(Db& db, std::string_view sql)
{
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(
        db.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK)
        return fail(db.error(fmt::format("cannot prepare \"{}\"", sql.substr(0, 60))));
    return Stmt(db, s);
}

Stmt& Stmt::bind(int index, std::string_view text)
{
    // A null pointer would bind SQL NULL; an empty view is an empty string.
    const char* p = text.data() ? text.data() : "";
    sqlite3_bind_text64(m_stmt.get(), index, p, text.size(), SQLITE_STATIC, SQLITE_UTF8);
    return *this;
}

Stmt& Stmt::bind(int index, int64_t value)
{
    sqlite3_bind_int64(m_stmt.get(), index, value);
    return *this;
}

Result<bool> Stmt::step()
{
    int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return fail(m_db->error("query failed"));
}

void Stmt::reset()
{
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
}

std::string_view Stmt::text(int column) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt.get(), column));
    int n = sqlite3_column_bytes(m_stmt.get(), column);
    return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
}

int64_t Stmt::integer(int column) const
{
    return sqlite3_column_int64(m_stmt.get(), column);
}

double Stmt::real(int column) const
{
    return sqlite3_column_double(m_stmt.get(), column);
}

Result<TxnStmts> TxnStmts::prepare(Db& db)
{
    Stmt begin = TRY(Stmt::prepare(db, "BEGIN IMMEDIATE"));
    Stmt commit = TRY(Stmt::prepare(db, "COMMIT"));
    Stmt rollback = TRY(Stmt::prepare(db, "ROLLBACK"));
    return TxnStmts{ std::move(begin), std::move(commit), std::move(rollback) };
}

Result<WriteTxn> WriteTxn::begin(Db& db, TxnStmts& stmts)
{
    ResetGuard guard(stmts.begin);
    TRY_CONTEXT(stmts.begin.step(), "while starting a write transaction");
    return WriteTxn(db, stmts);
}

void WriteTxn::rollback()
{
    if (sqlite3_get_autocommit(m_db->get()) == 0) {
        ResetGuard guard(m_stmts->rollback);
        (void)m_stmts->rollback.step();
    }
}

WriteTxn::~WriteTxn()
{
    if (m_db)
        rollback();
}

Result<void> WriteTxn::commit()
{
    Result<bool> r = m_stmts->commit.step();
    m_stmts->commit.reset();
    if (!r) {
        rollback();
        m_db = nullptr;
        return fail(std::move(r.error()));
    }
    m_db = nullptr;
    return {};
}

} // namespace ik::store::internal
