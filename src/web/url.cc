#include "web/url.h"

#include <memory>

#include <curl/curl.h>
#include <fmt/format.h>

namespace ik::web {

namespace {

struct UrlDeleter {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using CurlUrl = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlStringDeleter {
    void operator()(char* s) const { curl_free(s); }
};

std::optional<std::string> part(CURLU* u, CURLUPart which, unsigned flags = 0)
{
    char* raw = nullptr;
    if (curl_url_get(u, which, &raw, flags) != CURLUE_OK || !raw)
        return std::nullopt;
    std::unique_ptr<char, CurlStringDeleter> owned(raw);
    return std::string(raw);
}

std::string lower(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Spaces and non-ASCII bytes percent-encoded, as a browser sends an href
// written with them (curl's parser refuses them raw).
std::string encoded(std::string_view s)
{
    std::string out;
    for (char c : s) {
        auto b = static_cast<unsigned char>(c);
        if (b == ' ' || b >= 0x80)
            out += fmt::format("%{:02X}", b);
        else
            out += c;
    }
    return out;
}

bool has_control(std::string_view s)
{
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return true;
    return false;
}

} // namespace

Result<Url> parse_url(std::string_view text)
{
    if (text.size() > max_url_bytes)
        return fail(ErrorCode::invalid_argument, "the URL is {} bytes long (at most {})", text.size(), max_url_bytes);
    if (has_control(text))
        return fail(ErrorCode::invalid_argument, "the URL contains control characters");
    CurlUrl u(curl_url());
    if (!u)
        return fail(ErrorCode::internal, "curl_url() failed");
    std::string owned(text);
    if (CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, owned.c_str(), 0); rc != CURLUE_OK)
        return fail(ErrorCode::invalid_argument, "'{}' is not a valid absolute URL ({})", text, curl_url_strerror(rc));
    Url out;
    out.scheme = lower(part(u.get(), CURLUPART_SCHEME).value_or(""));
    if (out.scheme != "http" && out.scheme != "https")
        return fail(ErrorCode::invalid_argument, "only http and https URLs can be fetched, not {}:", out.scheme);
    out.host = lower(part(u.get(), CURLUPART_HOST).value_or(""));
    if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']')
        out.host = out.host.substr(1, out.host.size() - 2);
    if (out.host.empty())
        return fail(ErrorCode::invalid_argument, "'{}' has no host", text);
    std::string port = part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("0");
    out.port = static_cast<uint16_t>(std::strtoul(port.c_str(), nullptr, 10));
    out.text = part(u.get(), CURLUPART_URL).value_or(owned);
    return out;
}

std::optional<std::string> resolve_url(std::string_view base, std::string_view reference)
{
    if (reference.empty() || reference.size() > max_url_bytes || has_control(reference))
        return std::nullopt;
    CurlUrl u(curl_url());
    if (!u)
        return std::nullopt;
    std::string b(base);
    std::string r = encoded(reference);
    if (curl_url_set(u.get(), CURLUPART_URL, b.c_str(), 0) != CURLUE_OK
        || curl_url_set(u.get(), CURLUPART_URL, r.c_str(), 0) != CURLUE_OK)
        return std::nullopt;
    std::string scheme = lower(part(u.get(), CURLUPART_SCHEME).value_or(""));
    if (scheme != "http" && scheme != "https")
        return std::nullopt;
    auto out = part(u.get(), CURLUPART_URL);
    if (!out || out->size() > max_url_bytes)
        return std::nullopt;
    return out;
}

} // namespace ik::web
