#include "app/mcp_project.h"

#include <cerrno>

#include <fmt/format.h>
#include <unistd.h>

#include "mcp/http_headers.h"
#include "mcp/project_servers.h"
#include "mcp/trust_store.h"
#include "tui/visible.h"

namespace ik::app {

namespace {

std::string server_names(const mcp::ProjectFile& file)
{
    std::string out;
    for (const auto& s : file.servers)
        out += fmt::format("{}{}", out.empty() ? "" : ", ", s.name);
    return out;
}

// One line typed on the terminal, read byte by byte so nothing typed after
// it is taken from the REPL. Empty at end of input.
std::string read_answer()
{
    std::string line;
    char c = 0;
    while (line.size() < 64) {
        ssize_t n = ::read(STDIN_FILENO, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || c == '\n')
            break;
        line += c;
    }
    return line;
}

mcp::Trust ask(const mcp::ProjectFile& file)
{
    std::string text
        = fmt::format("This project's {} would start MCP servers (programs run as you, or servers ik connects to):\n",
            file.path.string());
    for (const auto& s : file.servers)
        text += fmt::format("  {}\n", describe_server(s));
    tui::print_visible(stderr, "{}", text);
    std::fputs("Trust this file and start them? (kept until the file changes) [y]es / [n]o: ", stderr);
    std::fflush(stderr);
    std::string answer = read_answer();
    if (answer == "y" || answer == "Y" || answer == "yes")
        return mcp::Trust::trusted;
    if (answer == "n" || answer == "N" || answer == "no")
        return mcp::Trust::refused;
    return mcp::Trust::undecided;
}

} // namespace

bool in_config(const config::Config& cfg, std::string_view name)
{
    for (const auto& s : cfg.mcp.servers)
        if (s.name == name)
            return true;
    return false;
}

std::string describe_server(const config::McpServerConfig& server)
{
    auto quoted = [](std::string_view word) {
        if (!word.empty() && word.find_first_of(" \t\n'\"\\$`") == std::string_view::npos)
            return std::string(word);
        std::string out = "'";
        for (char c : word)
            out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return out + "'";
    };
    if (server.is_http()) {
        std::string out = fmt::format("{}: {}", server.name, mcp::redacted_url(server.url));
        // Values may be secrets: only the names show, and the environment
        // variables a value takes (what trusting a project file would send).
        for (const auto& [k, v] : server.headers) {
            out += fmt::format(" [header {}", k);
            for (size_t at = v.find("${"); at != std::string::npos; at = v.find("${", at + 2))
                if (size_t end = v.find('}', at); end != std::string::npos && end - at < 70)
                    out += fmt::format(" ${{{}}}", std::string_view(v).substr(at + 2, end - at - 2));
            out += "]";
        }
        return out;
    }
    std::string out = fmt::format("{}: {}", server.name, quoted(server.command));
    for (const auto& a : server.args)
        out += " " + quoted(a);
    for (const auto& [k, v] : server.env)
        out += fmt::format(" [env {}]", k); // values may be secrets
    return out;
}

std::vector<config::McpServerConfig> project_mcp_servers(
    const config::Config& cfg, const std::filesystem::path& project_root, ProjectTrust mode)
{
    mcp::ProjectScan scan = mcp::scan_project_servers(project_root);
    for (const std::string& note : scan.notes)
        tui::print_visible(stderr, "ik: {}\n", note);
    mcp::TrustStore trust = mcp::TrustStore::load(mcp::TrustStore::default_path());
    bool interactive = mode == ProjectTrust::ask && ::isatty(STDIN_FILENO) == 1;
    std::vector<config::McpServerConfig> out;
    for (const mcp::ProjectFile& file : scan.files) {
        if (file.servers.empty())
            continue;
        mcp::Trust decision = trust.decision(file.path, file.sha256);
        if (decision == mcp::Trust::undecided && interactive) {
            decision = ask(file);
            if (decision != mcp::Trust::undecided) {
                trust.set(file.path, file.sha256, decision);
                if (auto r = trust.save(); !r)
                    tui::print_visible(stderr, "ik: the answer is not kept: {}\n", r.error().to_string());
            }
        }
        if (decision != mcp::Trust::trusted) {
            tui::print_visible(stderr, "ik: {}: MCP servers {} not started: {} (`ik mcp trust` trusts it{})\n",
                file.path.string(), server_names(file),
                decision == mcp::Trust::refused ? "you refused this file" : "the file is not trusted yet",
                mode == ProjectTrust::report ? ", or answer yes when the REPL asks" : "");
            continue;
        }
        for (const auto& s : file.servers) {
            bool taken = false;
            for (const auto& o : out)
                taken = taken || o.name == s.name;
            if (in_config(cfg, s.name))
                tui::print_visible(
                    stderr, "ik: {}: server '{}' is also in your config, which wins\n", file.path.string(), s.name);
            else if (!taken)
                out.push_back(s);
        }
    }
    return out;
}

} // namespace ik::app
