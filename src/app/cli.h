// The command line: one parse into CliOptions, then main() dispatches.
// Only what exists is described in --help.
#pragma once

#include <string>

namespace ik::app {

struct CliOptions {
    bool show_version = false;
};

// Parses argv. Returns an exit code to stop with (help, version, usage
// error), or -1 to continue with `out` filled in.
int parse_cli(int argc, char** argv, CliOptions& out);

}  // namespace ik::app
