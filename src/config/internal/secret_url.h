// Whether a database URL in config.json carries a password, so that the file
// must be private (mode 0600) like credentials.json.
//
// A deliberately broad test: any `password` key (conninfo, any spacing; a URI
// option) or a user:secret@ part of a postgres URI counts. The store's
// redaction (store/internal/redact.h) hides the same parts when it shows a
// URL; config cannot use it (store sits on config).
#pragma once

#include <string_view>

namespace ik::config::internal {

bool url_has_password(std::string_view url);

} // namespace ik::config::internal
