// libFuzzer harness for the shell command splitter (agent/shell_words.h,
// agent/command_split.h) and the deny rule matching built on it
// (deny_prefix_matches in agent/approval.h). The input is what a model may
// send as a bash command. Properties: no crash, no sanitizer report, no
// timeout (the nesting and the work are bounded); a line the splitter did not
// read whole is unknowable; every command it reports has a name slot.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/approval.h"
#include "agent/command_split.h"
#include "agent/shell_words.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view command(reinterpret_cast<const char*>(data), size);
    ik::agent::ShellTokens tokens = ik::agent::tokenize_shell(command);
    ik::agent::CommandSplit split = ik::agent::split_command(command);
    if (tokens.too_deep && !split.unknowable)
        std::abort();
    for (const ik::agent::SimpleCommand& c : split.commands) {
        if (c.words.empty())
            std::abort();
        if (c.unknowable && !split.unknowable)
            std::abort();
    }
    (void)ik::agent::deny_prefix_matches("rm -rf", command);
    (void)ik::agent::deny_prefix_matches("git push --force", command);
    return 0;
}
