#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/exit_codes.h"
#include "app/version.h"

namespace ik::app {

int parse_cli(int argc, char** argv, CliOptions& out)
{
    CLI::App cli{"ik — a terminal coding agent that never loses a word", "ik"};
    cli.set_version_flag("-V,--version", std::string(version_string()));
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = cli.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    }
    (void)out;
    return -1;
}

}  // namespace ik::app
