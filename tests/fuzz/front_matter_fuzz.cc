// libFuzzer harness for the front matter of custom commands and skills
// (agent/ext/front_matter.h) and the text steps of a custom command
// (agent/ext/command_text.h). The input is a Markdown file from a project
// someone cloned. Properties: no crash, no sanitizer report, no timeout; the
// body is a suffix of the input; every shell span lies inside the text and
// is at most max_shell_spans.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/ext/command_text.h"
#include "agent/ext/front_matter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto doc = ik::agent::parse_front_matter(text, "fuzz.md");
    if (doc) {
        if (!text.ends_with(doc->body))
            std::abort();
        (void)doc->list("allowed-tools");
        (void)doc->value("description");
    }
    std::string expanded = ik::agent::substitute_arguments(text, "a \"b c\" d");
    auto spans = ik::agent::find_shell_spans(expanded);
    if (spans.size() > ik::agent::max_shell_spans)
        std::abort();
    for (const auto& s : spans)
        if (s.begin >= s.end || s.end > expanded.size())
            std::abort();
    return 0;
}
