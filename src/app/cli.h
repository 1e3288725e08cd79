// The command line: one parse into CliOptions, then main() dispatches.
// Only what exists is described in --help.
#pragma once

#include <optional>
#include <string>

namespace ik::app {

enum class OutputFormat { text, json, stream_json };

enum class Command {
    none,      // nothing to run (e.g. no -p and stdin is a terminal)
    headless,  // ik -p: one prompt, one streamed answer
    config,    // ik config: print the effective configuration
};

struct CliOptions {
    Command command = Command::none;
    std::optional<std::string> prompt;  // -p TEXT; empty optional: read stdin
    std::optional<std::string> model;
    std::optional<std::string> system;
    std::optional<std::string> thinking;
    OutputFormat output_format = OutputFormat::text;
};

// Parses argv. Returns an exit code to stop with (help, version, usage
// error), or -1 to continue with `out` filled in. `stdin_is_tty` decides
// whether a missing -p means "read the prompt from stdin".
int parse_cli(int argc, char** argv, CliOptions& out, bool stdin_is_tty);

}  // namespace ik::app
