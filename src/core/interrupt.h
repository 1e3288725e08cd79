// Giving up a blocking call when the process is asked to end.
//
// ik's loop never blocks, but a few calls outside it do wait on a peer: a
// PostgreSQL round trip above all. Such a wait polls in short slices and asks
// stop_signal_pending() between them, so that Ctrl-C, SIGTERM or SIGHUP end ik
// within a fraction of a second even while a database server is frozen.
//
// A terminating signal counts while it is pending: the loop blocks the
// signals it watches (signalfd), so one that arrived during the wait is still
// pending until the loop reads it; the wait returns at once, the loop runs and
// dispatches it as usual. Once a front end has decided to end the process it
// calls request_stop(): the writes made on the way out (closing an open
// reply) then still run, but wait only briefly for a server that does not
// answer, and nothing reconnects.
//
// Process-wide state (one flag); no ownership.
#pragma once

namespace ik {

// True while SIGINT, SIGTERM or SIGHUP is pending (blocked and not yet read).
bool stop_signal_pending();

// The process is ending: from now on stopping() is true.
void request_stop();
bool stopping();

} // namespace ik
