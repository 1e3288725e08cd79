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
// IK_MEM_REPORT=1 in the environment makes maybe_report_at_exit() (called at
// the end of main) print the process root's report to stderr.
#pragma once

#include <string>

#include <boost/json/value.hpp>

#include "core/arena.h"

namespace ik::mem {

// The subtree under `arena` as indented text, one line per node.
std::string report_text(const Arena& arena);

// The same tree as JSON: {"name", "bytes", "peak", "reserved", "blocks",
// "allocs", "subtree": {...}, ["cap", "pressure"], "children": [...]}.
// Returns memory in `into`.
boost::json::value report_json(const Arena& arena, Arena& into);

// "normal", "high" or "over".
std::string_view pressure_name(Pressure pressure);

// Prints report_text(root()) to stderr when IK_MEM_REPORT is set to a value
// other than "" or "0". Call once, at the end of main.
void maybe_report_at_exit();

} // namespace ik::mem
