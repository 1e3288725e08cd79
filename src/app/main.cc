// ik's entry point: install the panic/OOM machinery, parse the command line,
// dispatch. Everything else lives in the modules.
#include <cstdio>

#include <unistd.h>

#include "app/acp/acp_server.h"
#include "app/cli.h"
#include "app/exit_codes.h"
#include "app/headless.h"
#include "app/mcp_cmd.h"
#include "app/models_cmd.h"
#include "app/repl/repl_command.h"
#include "app/undo_cmd.h"
#include "core/mem_report.h"
#include "core/panic.h"
#include "sandbox/confined_exec.h"

namespace {

int dispatch(int argc, char** argv)
{
    ik::app::CliOptions options;
    int code = ik::app::parse_cli(argc, argv, options, ::isatty(STDIN_FILENO) == 1);
    if (code >= 0)
        return code;
    switch (options.command) {
    case ik::app::Command::config:
        return ik::app::run_config_command();
    case ik::app::Command::models:
        return ik::app::run_models_command();
    case ik::app::Command::headless:
        return ik::app::run_headless(options);
    case ik::app::Command::sessions:
        return ik::app::run_sessions_command(options);
    case ik::app::Command::undo:
        return ik::app::run_undo_command(options);
    case ik::app::Command::mcp:
        return ik::app::run_mcp_command(options);
    case ik::app::Command::acp:
        return ik::app::acp::run_acp(options);
    case ik::app::Command::repl:
        return ik::app::run_repl_command(options);
    case ik::app::Command::none:
        break;
    }
    return ik::app::exit_usage;
}

} // namespace

int main(int argc, char** argv)
{
    // ik re-executed as the landlock sandbox's supervisor (sandbox/confined_exec.h).
    if (argc > 1 && argv[1] == ik::sandbox::confined_exec_verb)
        return ik::sandbox::confined_exec_main(argc, argv);
    ik::install_out_of_memory_handler();
    int code = dispatch(argc, argv);
    // IK_MEM_REPORT=1 prints the ownership tree to stderr on the way out.
    ik::mem::maybe_report_at_exit();
    return code;
}
