// libFuzzer harness for agent definition files (agent/ext/agent_file.h): a
// Markdown file from a project someone cloned. Properties: no crash, no
// sanitizer report, no timeout; a definition that parses has a valid name,
// a description of one capped line, at most max_agent_tools tools, and a
// prompt without control characters other than newline and tab.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/ext/agent_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto d = ik::agent::parse_agent_file(text, "fuzz.md", "fuzz");
    if (!d)
        return 0;
    if (!ik::agent::valid_agent_name(d->name) || d->description.size() > ik::agent::max_agent_description
        || d->tools.size() > ik::agent::max_agent_tools || d->prompt.empty())
        std::abort();
    for (char c : d->description)
        if (static_cast<unsigned char>(c) < 0x20)
            std::abort();
    for (char c : d->prompt)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            std::abort();
    return 0;
}
