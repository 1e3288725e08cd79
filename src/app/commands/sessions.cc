#include <cstdio>
#include <cstdlib>

#include "app/commands/internal/all.h"
#include "app/sessions_cmd.h"
#include "store/store.h"

namespace ik::app::slash {
namespace {

// Reuses `ik sessions list`'s table, written into memory streams.
Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(sessions));
    char* out_buf = nullptr;
    size_t out_len = 0;
    char* err_buf = nullptr;
    size_t err_len = 0;
    std::FILE* out = ::open_memstream(&out_buf, &out_len);
    std::FILE* err = ::open_memstream(&err_buf, &err_len);
    int code = 1;
    if (out && err)
        code = sessions_list(host.store(), SessionsListOptions{ .cwd = {}, .limit = 15 }, out, err);
    if (out)
        std::fclose(out);
    if (err)
        std::fclose(err);
    std::string text(out_buf ? out_buf : "", out_len);
    std::string problem(err_buf ? err_buf : "", err_len);
    std::free(out_buf);
    std::free(err_buf);
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    while (!problem.empty() && problem.back() == '\n')
        problem.pop_back();
    if (code != 0)
        return fail(ErrorCode::store, "{}", problem.empty() ? "listing sessions failed" : problem);
    host.print(text.empty() ? std::string("No sessions yet.") : text);
    return {};
}

} // namespace

const SlashCommand sessions{ "sessions", "", "recent sessions (resume one with /resume ID)", run, true };

} // namespace ik::app::slash
