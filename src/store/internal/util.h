// Helpers shared by the two store backends: event-data checks, session ids,
// the identity of the process that owns an open reply, and search-query
// quoting. None of them touches a database.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/arena.h"
#include "core/result.h"
#include "store/store.h"

namespace ik::store::internal {

// Checks that `data` is a JSON object. For a user event also returns the
// session title it implies (the first line of "text", at most 80 columns),
// else an empty string. `scratch` is reset by the caller.
Result<std::string> check_event_data(mem::Arena& scratch, EventKind kind, std::string_view data);
// The first line of `text` without leading space, as valid UTF-8, at most
// 80 columns: a session's title.
std::string session_title(std::string_view text);

// 12 random lowercase hex digits (48 bits).
std::string new_session_id();
// A prefix of a session id: 1..64 lowercase hex digits (upper case is folded).
Result<std::string> normalize_id_prefix(std::string_view prefix);

// "host\tpid\tstart-time" of this process; identifies an open reply's owner.
std::string process_owner();
// True when `owner` is a process on this host that still runs. An owner on
// another host counts as alive (the caller decides by age).
bool owner_alive(std::string_view owner);
// "ik (pid 4242) on host box", for the message that a session is in use.
std::string describe_owner(std::string_view owner);
bool owner_on_this_host(std::string_view owner);

// True when `data` is an assistant_partial event of reply `reply_id`.
bool is_partial_of(mem::Arena& scratch, std::string_view data, int64_t reply_id);
// Partials: {"reason":…,"text":…,"reply":N[,"partials":true]}. Only the text
// not yet in a batch is passed (see InterruptedRecord).
enum class Partials : uint8_t { none, written };
std::string interrupted_json(std::string_view reason, std::string_view text, int64_t reply_id, Partials partials);

// Words of `text` as an FTS5 query in which every word must match, each
// quoted so that no character is an operator. Empty when there are none.
std::string fts5_query(std::string_view text);

} // namespace ik::store::internal
