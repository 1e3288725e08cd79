// ShellExpansion — runs the `!`cmd`` expansions of a custom command before
// its text goes to the model, each exactly as the model's bash call would
// run: the same approval (agent/approval.h: deny rules, the mode, the
// session's "always" answers, plus the command file's allowed-tools), asked
// through the observer where a person can answer and denied headless when
// the policy would ask, and run by the bash tool inside the session's OS
// sandbox with its caps and timeout.
//
// Spans run one after another. Each is replaced by the command's output
// (the bash tool's result text: stdout, stderr under a label, the exit
// status); a denied or failed one by a bracketed note saying why, which the
// observer also hears. The output is inserted as text and never scanned
// again (no expansion or @file include inside it).
//
//   auto x = ShellExpansion::start({loop, settings, session.allows(), observer}, text, rules,
//                                  [&](std::string expanded) { session.submit(expanded); });
//
// `done` is called exactly once, from the loop (never inside start()),
// unless the ShellExpansion is destroyed first, which stops a running
// command without calling it. Owns: the text, its arena for the calls'
// arguments, the running call. Borrows: everything in ExpansionDeps, which
// must outlive it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/approval.h"
#include "agent/session_types.h"
#include "core/loop.h"

namespace ik::agent {

struct ExpansionDeps {
    Loop& loop;
    const SessionSettings& settings; // cwd, sandbox, approval policy
    SessionAllows& allows; // "always" answers are remembered here
    SessionObserver& observer; // asks for approval, hears notices
};

class ShellExpansion {
public:
    using Done = std::function<void(std::string text)>;
    virtual ~ShellExpansion() = default;

    static std::unique_ptr<ShellExpansion> start(
        ExpansionDeps deps, std::string text, std::vector<ApprovalRule> extra_allow, Done done);

    // Ctrl-C: stops the running command; the spans not run yet become notes.
    // `done` still runs.
    virtual void cancel() = 0;
};

} // namespace ik::agent
