// ik::mem reports — the live ownership tree as text and as JSON.
//
// A report is a snapshot of the tree under one arena: for every node its
// name, bytes in use, peak, reserved bytes, blocks and allocation count, and
// its cap and pressure when it has a cap. Children are indented under their
// parent, like talloc_report_full. The first line sums the whole subtree.
//
//   full arena report on 'ik' (total 5120 bytes in use, peak 6144, 20480 reserved in 4 blocks, 37 allocs)
//   ik: 0 bytes, peak 0, reserved 0 in 0 blocks, 0 allocs; subtree 5120 bytes, 20480 reserved
//       session: 4096 bytes, peak 5120, reserved 16384 in 2 blocks, 30 allocs; subtree ...; cap 65536 (25%, normal)
//           turn: ...
//
// Reports are for people and tools, off the hot path: report_text returns a
// std::string (heap), report_json builds its value in the arena `into`, which
// must not be inside the reported subtree (its numbers would move while the
// report is written).
//
// The first line also gives the process's resident set size, so the bytes
// the arenas account for can be compared with what the OS sees (the rest is
// libraries, stacks, the heap outside arenas, and freed blocks not yet
// returned).
//
// IK_MEM_REPORT=1 in the environment prints the process root's report to
// stderr once: maybe_report() where a run's memory is still alive (headless
// calls it at the end of the run, before the session's arenas are freed),
// else maybe_report_at_exit() at the end of main.
#pragma once

#include <string>

#include <boost/json/value.hpp>

#include "core/arena.h"

namespace ik::mem {

enum class Units {
    bytes, // exact byte counts, for tools and tests
    human, // 1.5 KiB, 12.0 MiB: for people (/mem)
};

// The subtree under `arena` as indented text, one line per node.
std::string report_text(const Arena& arena, Units units = Units::bytes);

// "512 B", "1.5 KiB", "12.0 MiB", "1.2 GiB".
std::string human_bytes(size_t bytes);

// The resident set size of this process (/proc/self/statm), 0 if unknown.
size_t resident_bytes();

// The same tree as JSON: {"name", "bytes", "peak", "reserved", "blocks",
// "allocs", "subtree": {...}, ["cap", "pressure"], "children": [...]}.
// Returns memory in `into`.
boost::json::value report_json(const Arena& arena, Arena& into);

// "normal", "high" or "over".
std::string_view pressure_name(Pressure pressure);

// Prints report_text(root()) to stderr when IK_MEM_REPORT is set to a value
// other than "" or "0", unless it was printed already.
void maybe_report();
// The same, at the end of main: a no-op when maybe_report() printed.
void maybe_report_at_exit();

} // namespace ik::mem
