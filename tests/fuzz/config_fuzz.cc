// libFuzzer harness for config.json and credentials.json text: parsed over the
// defaults as load() does (validation only; no files, no environment).
// Properties: no crash, no sanitizer report, no leak; an accepted config can
// be printed (`ik config`), and a rejected one leaves an ErrorCode::config.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace ik;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    config::Config c = config::defaults();
    if (auto r = config::apply_file_text(c, text, "config.json"); r) {
        (void)config::to_json(c);
    } else if (r.error().code() != ErrorCode::config) {
        std::abort();
    }
    config::Config k = config::defaults();
    if (auto r = config::apply_credentials_text(k, text, "credentials.json");
        !r && r.error().code() != ErrorCode::config)
        std::abort();
    return 0;
}
