#include "app/cli.h"

#include <map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/exit_codes.h"
#include "app/version.h"

namespace ik::app {

int parse_cli(int argc, char** argv, CliOptions& out, bool stdin_is_tty)
{
    CLI::App cli{"ik — a terminal coding agent that never loses a word.\n"
                 "Headless: ik -p \"question\" (or the prompt on stdin) streams the answer to stdout.",
                 "ik"};
    cli.set_version_flag("-V,--version", std::string(version_string()));
    std::string prompt;
    auto* print = cli.add_option("-p,--print", prompt,
                                 "Answer PROMPT and exit; without PROMPT, read it from stdin")
                      ->expected(0, 1);
    std::string model, system, thinking;
    auto* model_opt = cli.add_option("-m,--model", model, "provider/model, e.g. anthropic/claude-sonnet-4-5");
    auto* system_opt = cli.add_option("--system", system, "System prompt (replaces the configured one)");
    auto* thinking_opt = cli.add_option("--thinking", thinking, "Reasoning effort")
                             ->check(CLI::IsMember({"none", "low", "medium", "high"}));
    std::map<std::string, OutputFormat> formats{
        {"text", OutputFormat::text}, {"json", OutputFormat::json}, {"stream-json", OutputFormat::stream_json}};
    cli.add_option("--output-format", out.output_format,
                   "text (streamed), json (one object at the end), stream-json (one event per line)")
        ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
    auto* config_cmd = cli.add_subcommand("config", "Print the effective configuration (secrets redacted)");
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
    if (config_cmd->parsed()) {
        out.command = Command::config;
        return -1;
    }
    if (*print) {
        out.command = Command::headless;
        if (!prompt.empty())
            out.prompt = prompt;
    } else if (!stdin_is_tty) {
        out.command = Command::headless;
    } else {
        fmt::print(stderr, "ik: the interactive mode is not built yet; run ik -p \"question\" (see ik --help)\n");
        return exit_usage;
    }
    return -1;
}

}  // namespace ik::app
