// RAII owners for libcurl handles (design.md §2: destructors only for real
// library handles). Everything else about a transfer lives in arenas.
//
// Owns: the CURL*, CURLM* or curl_slist* it holds.
#pragma once

#include <memory>

#include <curl/curl.h>

namespace ik::net {

struct CurlEasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct CurlMultiDeleter {
    void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct CurlSlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// curl_global_init once per process, before the first handle.
void curl_global_once();

} // namespace ik::net
