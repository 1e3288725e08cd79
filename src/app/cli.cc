#include "app/cli.h"

#include <cstdio>
#include <map>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/exit_codes.h"
#include "app/version.h"
#include "config/config.h"

namespace ik::app {

int parse_cli(int argc, char** argv, CliOptions& out, bool stdin_is_tty)
{
    // `ik --version` alone is answered before CLI11 builds its tables (half
    // of the instructions ik itself runs for it; docs/perf.md). With other
    // arguments CLI11 decides, as always.
    if (argc == 2 && (std::string_view(argv[1]) == "--version" || std::string_view(argv[1]) == "-V")) {
        std::string line = fmt::format("{}\n", version_string());
        std::fwrite(line.data(), 1, line.size(), stdout);
        return exit_ok;
    }
    CLI::App cli{ "ik — a terminal coding agent that never loses a word.\n"
                  "In a terminal, ik starts the interactive REPL. Headless: ik -p \"task\" (or the prompt on\n"
                  "stdin) runs the agent — model, tools, results — and streams the answer to stdout.",
        "ik" };
    cli.set_version_flag("-V,--version", std::string(version_string()));
    std::string prompt;
    auto* print = cli.add_option("-p,--print", prompt, "Answer PROMPT and exit; without PROMPT, read it from stdin")
                      ->expected(0, 1);
    std::string model, system, thinking;
    auto* model_opt = cli.add_option("-m,--model", model, "provider/model, e.g. anthropic/claude-sonnet-4-5");
    auto* system_opt
        = cli.add_option("--system", system, "Extra system instructions (replace the configured `system`)");
    auto* thinking_opt = cli.add_option("--thinking", thinking, "Reasoning effort: none, low, medium or high")
                             ->check(CLI::IsMember({ "none", "low", "medium", "high" }))
                             ->option_text("LEVEL");
    std::map<std::string, OutputFormat> formats{ { "text", OutputFormat::text }, { "json", OutputFormat::json },
        { "stream-json", OutputFormat::stream_json } };
    cli.add_option("--output-format", out.output_format,
           "text (streamed), json (one object at the end), stream-json (one event per line)")
        ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
        // Without this, --help shows CLI11's map ("ENUM:value in {json->1,…}").
        ->option_text("FORMAT");
    std::string approval;
    auto* approval_opt = cli.add_option("--approval", approval,
                                "ask (default): ask before commands and edits; auto-edit: edits in the "
                                "project run freely; yolo: everything runs")
                             ->check([](const std::string& text) {
                                 auto parsed = config::parse_approval(text);
                                 return parsed ? std::string() : std::string(parsed.error().message());
                             })
                             ->option_text("MODE");
    std::string sandbox;
    auto* sandbox_opt = cli.add_option("--sandbox", sandbox,
                               "Where commands run: workspace-write (default: the project and a private /tmp "
                               "writable), read-only, or off (no OS sandbox)")
                            ->check(CLI::IsMember({ "read-only", "workspace-write", "off" }))
                            ->option_text("MODE");
    int64_t max_turns = 0;
    auto* turns_opt = cli.add_option("--max-tool-turns", max_turns, "Bound on model rounds per prompt (default 50)")
                          ->check(CLI::Range(int64_t(1), int64_t(10000)))
                          ->option_text("N");
    cli.add_flag("-c,--continue", out.continue_latest, "Continue the latest session in this directory");
    std::string resume;
    auto* resume_opt = cli.add_option("-r,--resume", resume, "Resume the stored session ID (a unique prefix will do)");

    auto* config_cmd = cli.add_subcommand("config", "Print the effective configuration (secrets redacted)");
    auto* models_cmd
        = cli.add_subcommand("models", "List the model catalog: context window, max output, prices per million tokens");
    auto* sessions_cmd = cli.add_subcommand("sessions", "List stored sessions (id, time, directory, title, events)");
    sessions_cmd->add_flag("-a,--all", out.sessions_all_dirs, "Every directory, not only this one");
    auto* search_cmd = sessions_cmd->add_subcommand("search", "Full-text search over every session");
    search_cmd->add_option("text", out.sessions_arg, "Words to find")->required();
    auto* show_cmd = sessions_cmd->add_subcommand("show", "Print a session's transcript");
    show_cmd->add_option("id", out.sessions_arg, "Session id or unique prefix")->required();
    auto* export_cmd = sessions_cmd->add_subcommand("export", "Export a session to stdout");
    export_cmd->add_option("id", out.sessions_arg, "Session id or unique prefix")->required();
    export_cmd->add_option("--format", out.export_format, "jsonl or markdown")
        ->check(CLI::IsMember({ "jsonl", "markdown" }));
    auto* undo_cmd = cli.add_subcommand("undo", "Restore the files of the last turn not yet undone (checkpoints)");
    undo_cmd->add_option("-s,--session", out.undo_session, "Session id or unique prefix (default: the latest here)");
    undo_cmd->add_flag("-f,--force", out.undo_force, "Undo even over files changed after the turn");
    auto* mcp_cmd = cli.add_subcommand("mcp", "MCP servers: list them, trust the project's server files");
    mcp_cmd->require_subcommand(1);
    mcp_cmd->add_subcommand("list", "The configured servers and the project's files (.ik/mcp.json, .mcp.json)");
    auto* trust_cmd = mcp_cmd->add_subcommand("trust", "Trust the project's MCP server files as they are now");
    trust_cmd->add_option("-f,--file", out.mcp_file, "Only this file");
    auto* acp_cmd = cli.add_subcommand("acp", "Serve an editor over the Agent Client Protocol (JSON-RPC on stdio)");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = cli.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    }
    if (*model_opt)
        out.model = model;
    if (*system_opt)
        out.system = system;
    if (*thinking_opt)
        out.thinking = thinking;
    if (*approval_opt)
        out.approval = config::parse_approval(approval).value_or(config::Approval::ask); // checked above
    if (*sandbox_opt)
        out.sandbox = sandbox;
    if (*turns_opt)
        out.max_tool_turns = max_turns;
    if (*resume_opt)
        out.resume_id = resume;
    if (config_cmd->parsed()) {
        out.command = Command::config;
        return -1;
    }
    if (models_cmd->parsed()) {
        out.command = Command::models;
        return -1;
    }
    if (undo_cmd->parsed()) {
        out.command = Command::undo;
        return -1;
    }
    if (acp_cmd->parsed()) {
        out.command = Command::acp;
        return -1;
    }
    if (mcp_cmd->parsed()) {
        out.command = Command::mcp;
        out.mcp_action = trust_cmd->parsed() ? McpAction::trust : McpAction::list;
        return -1;
    }
    if (sessions_cmd->parsed()) {
        out.command = Command::sessions;
        if (search_cmd->parsed())
            out.sessions_action = SessionsAction::search;
        else if (show_cmd->parsed())
            out.sessions_action = SessionsAction::show;
        else if (export_cmd->parsed())
            out.sessions_action = SessionsAction::export_;
        return -1;
    }
    if (*print) {
        out.command = Command::headless;
        if (!prompt.empty())
            out.prompt = prompt;
    } else if (!stdin_is_tty) {
        out.command = Command::headless;
    } else {
        out.command = Command::repl;
    }
    return -1;
}

} // namespace ik::app
