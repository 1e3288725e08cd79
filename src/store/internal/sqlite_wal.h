// The session store's write-ahead log: kept between runs, bounded, and left
// short for the next process.
//
// The log is persistent (closing neither checkpoints nor deletes the -wal
// file), so a short `ik -p` does not pay for rewriting the database on every
// run; commits stay durable (the log is the database's own, synchronous=NORMAL
// as in docs/store.md). But the first process to open the database rebuilds
// SQLite's index of the log by reading every frame in it (a pread and ~5 k
// instructions each; an `ik -p` writes ~30 frames). With SQLite's automatic
// checkpoint alone the log cycles up to 1,000 frames, and every start paid for
// ~500 on average (docs/perf.md). So a store that closes with more than
// frames_kept_at_close frames in its log folds them into the database and
// empties the log (a TRUNCATE checkpoint), unless another connection is using
// the database: then it is skipped, never waited for. The bound weighs the
// two costs: emptying the log takes about three fsyncs (the log, the
// database, the new log's header), so it is done every ~8 `ik -p` runs, and
// a start reads ~128 frames on average instead of ~500. While open, the log is
// checkpointed every auto_checkpoint_frames frames, as SQLite's default hook
// does (the frame-counting hook here replaces it).
//
// Borrows the connection; WalPolicy must stay at one address while attached
// (SQLite holds a pointer to it).
#pragma once

#include <sqlite3.h>

namespace ik::store::internal {

class WalPolicy {
public:
    static constexpr int auto_checkpoint_frames = 1000;
    static constexpr int frames_kept_at_close = 256;

    // Persistent log, no checkpoint at close, the frame-counting hook.
    void attach(sqlite3* db);
    // Before the connection closes: the TRUNCATE checkpoint if the log is long.
    void close(sqlite3* db);

    // Frames in the log after this connection's last commit (0 before one).
    int frames() const { return m_frames; }

private:
    static int on_commit(void* self, sqlite3* db, const char* schema, int frames);

    int m_frames = 0;
};

} // namespace ik::store::internal
