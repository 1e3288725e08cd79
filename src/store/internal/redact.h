// Hiding the password in a PostgreSQL connection string before it is shown
// (describe(), error messages).
//
// Every form libpq accepts is covered, because a user writes whichever they
// copied: a URI (postgresql://user:secret@host/db, where the secret may hold
// an unescaped '@', or ?password=secret among the options) and a key=value
// conninfo (password=secret, password = secret, password='s e c r e t' with
// libpq's quoting). Anything that might be part of the password is hidden:
// showing a little less of the URL beats showing a little of the secret.
#pragma once

#include <string>
#include <string_view>

namespace ik::store::internal {

// The connection string with every password replaced by "***".
std::string redact_url(std::string_view url);

// Whether the connection string carries a password at all.
bool has_password(std::string_view url);

// A URI whose password holds an unescaped '@' with it escaped (%40), so that
// libpq splits user info from host at the last '@' (a host name never holds
// one) instead of the first, and its messages name the real host rather than
// the rest of the password. Anything else is returned unchanged.
std::string escape_password_at(std::string_view url);

} // namespace ik::store::internal
