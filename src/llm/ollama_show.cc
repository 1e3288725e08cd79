#include "llm/ollama_show.h"

#include <algorithm>
#include <charconv>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "core/json.h"
#include "net/http_handles.h"

namespace ik::llm {

namespace {

// Windows beyond this are not a real model's; the same bound as learned windows.
constexpr int64_t max_window = int64_t{ 100 } * 1000 * 1000;

// `num_ctx` in the Modelfile parameters text: lines of "name value".
int64_t num_ctx(std::string_view parameters)
{
    while (!parameters.empty()) {
        size_t nl = parameters.find('\n');
        std::string_view line = parameters.substr(0, nl);
        parameters = nl == std::string_view::npos ? std::string_view() : parameters.substr(nl + 1);
        size_t start = line.find_first_not_of(" \t");
        if (start == std::string_view::npos)
            continue;
        line.remove_prefix(start);
        if (!line.starts_with("num_ctx") || line.size() == 7 || (line[7] != ' ' && line[7] != '\t'))
            continue;
        line.remove_prefix(7);
        line.remove_prefix(std::min(line.size(), line.find_first_not_of(" \t")));
        int64_t n = 0;
        auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), n);
        if (ec == std::errc() && n > 0)
            return n;
    }
    return 0;
}

size_t on_body(char* data, size_t size, size_t count, void* user)
{
    auto* body = static_cast<std::string*>(user);
    size_t n = size * count;
    if (body->size() + n > max_show_bytes)
        return 0; // curl stops the transfer: CURLE_WRITE_ERROR
    body->append(data, n);
    return n;
}

} // namespace

std::string ollama_show_url(std::string_view base_url)
{
    while (base_url.ends_with('/'))
        base_url.remove_suffix(1);
    if (base_url.ends_with("/v1"))
        base_url.remove_suffix(3);
    return fmt::format("{}/api/show", base_url);
}

Result<int64_t> ollama_window(std::string_view show_json)
{
    mem::Arena arena(mem::root(), "ollama-show");
    json::value v = TRY(json::parse(arena, show_json, "Ollama's /api/show answer"));
    json::Field f(v);
    int64_t trained = 0;
    if (const json::value* info = f["model_info"].get(); info && info->is_object()) {
        // "<architecture>.context_length", the architecture named by general.architecture.
        std::string_view arch = f["model_info"]["general.architecture"].string_or("");
        if (!arch.empty())
            trained = f["model_info"][fmt::format("{}.context_length", arch)].integer_or(0);
        for (const auto& kv : info->get_object()) // an answer without general.architecture
            if (trained <= 0 && std::string_view(kv.key()).ends_with(".context_length") && kv.value().is_int64())
                trained = kv.value().get_int64();
    }
    int64_t configured = num_ctx(f["parameters"].string_or(""));
    int64_t window = configured > 0 ? (trained > 0 ? std::min(configured, trained) : configured) : trained;
    if (window <= 0 || window > max_window)
        return fail(ErrorCode::parse, "Ollama's /api/show answer names no context length");
    return window;
}

Result<int64_t> ask_ollama_window(std::string_view base_url, std::string_view model, std::chrono::milliseconds timeout)
{
    net::curl_global_once();
    net::CurlEasy easy(curl_easy_init());
    if (!easy)
        return fail(ErrorCode::internal, "curl_easy_init failed");
    std::string url = ollama_show_url(base_url);
    std::string request = fmt::format(
        R"({{"model":{}}})", boost::json::serialize(boost::json::string_view(model.data(), model.size())));
    std::string body;
    net::CurlSlist headers(curl_slist_append(nullptr, "Content-Type: application/json"));
    CURL* e = easy.get();
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.size()));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(e);
    if (rc != CURLE_OK)
        return fail(ErrorCode::network, "{}: {}", url, curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200)
        return fail(ErrorCode::network, "{}: HTTP {}", url, status);
    return ollama_window(body);
}

} // namespace ik::llm
