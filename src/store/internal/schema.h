// The store's schema as forward-only numbered migrations, one list per
// backend. A migration is never edited once released: a change is a new
// entry at the end. Each is applied once, in its own transaction, and
// recorded in schema_migrations(version, applied_at); a database recorded at
// a version newer than the last entry here is refused (an older ik must not
// write a schema it does not know).
#pragma once

#include <span>
#include <string_view>

namespace ik::store::internal {

struct Migration {
    int version;
    std::string_view description;
    std::string_view sql;
};

std::span<const Migration> sqlite_migrations();
std::span<const Migration> pg_migrations();

} // namespace ik::store::internal
