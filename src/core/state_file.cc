#include "core/state_file.h"

#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

namespace ik {

std::filesystem::path state_file_path(std::string_view name)
{
    const char* xdg = std::getenv("XDG_STATE_HOME");
    if (xdg && *xdg == '/')
        return std::filesystem::path(xdg) / "ik" / name;
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : ".") / ".local" / "state" / "ik" / name;
}

std::optional<std::string> read_state_file(const std::filesystem::path& path, size_t max_bytes)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string text(max_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(max_bytes + 1));
    auto got = static_cast<size_t>(in.gcount());
    if (got > max_bytes)
        return std::nullopt;
    text.resize(got);
    return text;
}

Result<void> replace_state_file(const std::filesystem::path& path, std::string_view text)
{
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
        return fail(ErrorCode::io, "cannot create {}: {}", path.parent_path().string(), ec.message());
    std::filesystem::path tmp = path;
    tmp += fmt::format(".{}.tmp", ::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out)
            return fail(ErrorCode::io, "cannot write {}", tmp.string());
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return fail(ErrorCode::io, "cannot replace {}: {}", path.string(), ec.message());
    }
    return {};
}

} // namespace ik
