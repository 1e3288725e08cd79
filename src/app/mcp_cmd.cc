#include "app/mcp_cmd.h"

#include <fmt/format.h>

#include "agent/instructions.h"
#include "app/exit_codes.h"
#include "app/mcp_project.h"
#include "mcp/project_servers.h"
#include "mcp/trust_store.h"
#include "tui/visible.h"

namespace ik::app {

namespace {

namespace fs = std::filesystem;

int list(const config::Config& cfg, const mcp::ProjectScan& scan)
{
    const mcp::TrustStore trust = mcp::TrustStore::load(mcp::TrustStore::default_path());
    std::string out = "config.json (mcp.servers):\n";
    if (cfg.mcp.servers.empty())
        out += "  (none)\n";
    for (const auto& s : cfg.mcp.servers)
        out += fmt::format("  {}\n", describe_server(s));
    if (scan.files.empty())
        out += "no project server files (.ik/mcp.json, .mcp.json)\n";
    for (const auto& file : scan.files) {
        out += fmt::format("{} ({}):\n", file.path.string(), to_string(trust.decision(file.path, file.sha256)));
        if (file.servers.empty())
            out += "  (no servers)\n";
        for (const auto& s : file.servers)
            out += fmt::format("  {}{}\n", describe_server(s), in_config(cfg, s.name) ? " [the config's wins]" : "");
    }
    tui::print_visible(stdout, "{}", out);
    return exit_ok;
}

int trust_files(const mcp::ProjectScan& scan, const std::string& only)
{
    fs::path wanted;
    if (!only.empty()) {
        std::error_code ec;
        wanted = fs::weakly_canonical(fs::absolute(only, ec), ec);
    }
    mcp::TrustStore trust = mcp::TrustStore::load(mcp::TrustStore::default_path());
    int trusted = 0;
    for (const auto& file : scan.files) {
        std::error_code ec;
        if (!only.empty() && fs::weakly_canonical(file.path, ec) != wanted)
            continue;
        if (file.servers.empty())
            continue;
        trust.set(file.path, file.sha256, mcp::Trust::trusted);
        std::string names;
        for (const auto& s : file.servers)
            names += fmt::format("{}{}", names.empty() ? "" : ", ", s.name);
        tui::print_visible(stdout, "trusted {} (servers: {})\n", file.path.string(), names);
        ++trusted;
    }
    if (trusted == 0) {
        tui::print_visible(stderr, "ik: {}\n",
            only.empty() ? std::string("no file with MCP servers to trust in this project")
                         : fmt::format("'{}' is not one of this project's files with MCP servers", only));
        return exit_nothing;
    }
    if (auto r = trust.save(); !r) {
        tui::print_visible(stderr, "ik: {}\n", r.error().to_string());
        return exit_internal;
    }
    return exit_ok;
}

} // namespace

int run_mcp_command(const CliOptions& options)
{
    auto cfg = config::load(config::process_environment());
    if (!cfg) {
        tui::print_visible(stderr, "ik: {}\n", cfg.error().to_string());
        return exit_config;
    }
    mcp::ProjectScan scan = mcp::scan_project_servers(agent::find_project_root(fs::current_path()));
    for (const std::string& note : scan.notes)
        tui::print_visible(stderr, "ik: {}\n", note);
    if (options.mcp_action == McpAction::trust)
        return trust_files(scan, options.mcp_file);
    return list(*cfg, scan);
}

} // namespace ik::app
