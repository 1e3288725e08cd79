// libFuzzer harness for web_fetch's HTML to Markdown converter
// (web/html_markdown.h). The first input byte picks the output cap; the rest
// is the page. Properties: no crash, no sanitizer report, the text stays
// within the cap, is valid UTF-8 and holds no escape or other C0/C1 control
// character but newline and tab (what html_markdown.h promises).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/utf8.h"
#include "web/html_markdown.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    std::string_view html(reinterpret_cast<const char*>(data + 1), size - 1);
    size_t cap = 64 + size_t{ data[0] } * 64;
    ik::web::Markdown md = ik::web::html_to_markdown(html, "https://example.com/dir/page.html", cap).value();
    if (md.text.size() > cap || !ik::utf8::is_valid(md.text) || !ik::utf8::is_valid(md.title))
        std::abort();
    for (std::string_view s : { std::string_view(md.text), std::string_view(md.title) }) {
        for (size_t i = 0; i < s.size(); ++i) {
            auto c = static_cast<unsigned char>(s[i]);
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
                std::abort();
            if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9f)
                std::abort();
        }
    }
    return 0;
}
