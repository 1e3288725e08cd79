#include "mcp/project_servers.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/json.h"
#include "mcp/trust_store.h"

namespace ik::mcp {

namespace {

namespace fs = std::filesystem;

// The file's bytes, or a note saying why not. A symbolic link is not
// followed (O_NOFOLLOW) and only a regular file is read.
std::optional<std::string> read_bounded(const fs::path& path, std::vector<std::string>& notes)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ELOOP)
            notes.push_back(
                fmt::format("{}: a symbolic link; not read (MCP server files must be regular files)", path.string()));
        else if (errno != ENOENT && errno != ENOTDIR)
            notes.push_back(fmt::format("{}: cannot read: {}", path.string(), std::strerror(errno)));
        return std::nullopt;
    }
    struct stat st { };
    std::string text;
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!ok)
        notes.push_back(fmt::format("{}: not a regular file; not read", path.string()));
    else if (static_cast<size_t>(st.st_size) > max_project_file_bytes)
        notes.push_back(fmt::format("{}: over {} KiB; not read", path.string(), max_project_file_bytes >> 10));
    ok = ok && static_cast<size_t>(st.st_size) <= max_project_file_bytes;
    while (ok) {
        char buf[16384];
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        text.append(buf, static_cast<size_t>(n));
        if (text.size() > max_project_file_bytes) { // grew while read
            notes.push_back(fmt::format("{}: over {} KiB; not read", path.string(), max_project_file_bytes >> 10));
            ok = false;
        }
    }
    ::close(fd);
    if (!ok)
        return std::nullopt;
    return text;
}

// An entry for the deprecated HTTP+SSE transport (MCP 2024-11-05), which ik
// does not speak; other agents' files still list such servers.
bool old_sse(const json::Field& entry)
{
    return entry["type"].string_or("") == "sse";
}

} // namespace

std::optional<ProjectFile> read_project_file(const fs::path& path, std::vector<std::string>& notes)
{
    auto text = read_bounded(path, notes);
    if (!text)
        return std::nullopt;
    ProjectFile file{ path, sha256_hex(*text), {} };
    mem::Arena arena(mem::root(), "mcp-project-file");
    auto parsed = json::parse(arena, *text, path.string());
    if (!parsed || !parsed->is_object()) {
        notes.push_back(parsed ? fmt::format("{}: expected a JSON object", path.string()) : parsed.error().to_string());
        return std::nullopt;
    }
    json::Field root(*parsed);
    json::Field servers = root["mcpServers"].exists() ? root["mcpServers"] : root["servers"];
    if (!servers.exists())
        return file; // no servers: nothing to trust or start
    auto obj = servers.as_object();
    if (!obj) {
        notes.push_back(fmt::format("{}: {}", path.string(), obj.error().message()));
        return std::nullopt;
    }
    // Old HTTP+SSE entries are left out of what config reads, each with a note.
    json::value local(json::object(json::storage(arena)));
    for (const auto& kv : **obj) {
        std::string_view name(kv.key().data(), kv.key().size());
        if (kv.value().is_object() && old_sse(servers[name])) {
            notes.push_back(fmt::format(
                "{}: server '{}' uses the old HTTP+SSE transport, which ik does not speak (Streamable HTTP: \"type\": "
                "\"http\"); skipped",
                path.string(), name));
            continue;
        }
        local.get_object()[kv.key()] = kv.value();
    }
    if (auto r = config::read_mcp_servers(json::Field(local), file.servers, path.string()); !r) {
        notes.push_back(r.error().message());
        return std::nullopt;
    }
    return file;
}

ProjectScan scan_project_servers(const fs::path& project_root)
{
    ProjectScan scan;
    std::error_code ec;
    fs::path root = fs::absolute(project_root, ec);
    if (ec)
        root = project_root;
    fs::path ik_dir = root / ".ik";
    // .ik as a link would make .ik/mcp.json any file anywhere.
    if (fs::symlink_status(ik_dir, ec).type() == fs::file_type::symlink)
        scan.notes.push_back(
            fmt::format("{}: a symbolic link; {} not read", ik_dir.string(), (ik_dir / "mcp.json").string()));
    else if (auto f = read_project_file(ik_dir / "mcp.json", scan.notes))
        scan.files.push_back(std::move(*f));
    if (auto f = read_project_file(root / ".mcp.json", scan.notes))
        scan.files.push_back(std::move(*f));
    return scan;
}

} // namespace ik::mcp
