#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

// Terminals drop (or choke on) very long OSC 52 payloads; a reply longer
// than this is not a clipboard's job.
constexpr size_t max_copy = size_t{ 1 } << 20;

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(copy));
    const auto& messages = host.session().conversation().messages();
    // Newest first (std::views::reverse does not build with Clang 14 and libstdc++ 12).
    for (size_t i = messages.size(); i-- > 0;) {
        const llm::Message& m = messages[i];
        if (m.role != llm::Role::assistant || m.text.empty())
            continue;
        std::string_view text = m.text;
        if (text.size() > max_copy)
            return fail(ErrorCode::invalid_argument,
                "the last reply is {} KiB; /copy puts at most 1 MiB on the clipboard", text.size() >> 10);
        TRY(host.copy_to_clipboard(text));
        host.print(fmt::format("Copied the last reply ({} bytes) to the clipboard.", text.size()), Tone::dim);
        return {};
    }
    return fail(ErrorCode::invalid_argument, "no reply to copy yet");
}

} // namespace

const SlashCommand copy{ "copy", "", "put the last reply on the clipboard (OSC 52)", run, true };

} // namespace ik::app::slash
