#include "store/internal/sqlite_wal.h"

namespace ik::store::internal {

void WalPolicy::attach(sqlite3* db)
{
    int one = 1;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    sqlite3_wal_hook(db, on_commit, this);
}

int WalPolicy::on_commit(void* self, sqlite3* db, const char* schema, int frames)
{
    auto* policy = static_cast<WalPolicy*>(self);
    policy->m_frames = frames;
    if (frames >= auto_checkpoint_frames) {
        // What SQLite's own hook does: a PASSIVE checkpoint never waits. A
        // failure leaves the log longer, nothing worse; the commit stands.
        int log = 0;
        if (sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, &log, nullptr) == SQLITE_OK)
            policy->m_frames = log;
    }
    return SQLITE_OK;
}

void WalPolicy::close(sqlite3* db)
{
    if (m_frames <= frames_kept_at_close)
        return;
    // Another process reading or writing: skip rather than wait.
    sqlite3_busy_timeout(db, 0);
    int log = 0;
    if (sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, &log, nullptr) == SQLITE_OK)
        m_frames = log;
}

} // namespace ik::store::internal
