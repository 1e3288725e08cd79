#include "config/internal/secret_url.h"

#include <cctype>

namespace ik::config::internal {

bool url_has_password(std::string_view url)
{
    // "password" followed by optional spaces and '=' anywhere: a conninfo
    // key or a URI option, in any case.
    for (size_t i = 0; i + 8 <= url.size(); ++i) {
        bool word = true;
        for (size_t k = 0; k < 8 && word; ++k)
            word = std::tolower(static_cast<unsigned char>(url[i + k])) == "password"[k];
        if (!word)
            continue;
        size_t j = i + 8;
        while (j < url.size() && std::isspace(static_cast<unsigned char>(url[j])))
            ++j;
        if (j < url.size() && url[j] == '=')
            return true;
    }
    if (!url.starts_with("postgres://") && !url.starts_with("postgresql://"))
        return false;
    std::string_view rest = url.substr(url.find("://") + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
    size_t at = authority.rfind('@');
    size_t colon = authority.find(':');
    return at != std::string_view::npos && colon != std::string_view::npos && colon < at;
}

} // namespace ik::config::internal
