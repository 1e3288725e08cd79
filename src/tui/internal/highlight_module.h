// The C interface between ik and its Source-highlight module (ik_highlight.so,
// built from tui/internal/source_highlight_module.cc and loaded with dlopen by
// tui/code_highlight.cc on the first block that needs highlighting). Plain C
// types only, so the two sides share no C++ object layout: the module reports
// each run as byte offsets and an element number, ik turns the number into its
// Style and keeps the runs in its own memory. Nothing thrown crosses it.
//
//   const ik_highlight_v1_api* api = ik_highlight_v1();
//   void* h = api->create(note, note_ctx);                  // null: could not start
//   int ok = api->highlight(h, "cpp", 3, code, n, emit, &out); // 0: leave the block plain
//   api->destroy(h);
//
// A change to this interface gets a new name (ik_highlight_v2); ik looks up
// the one it was built with, so a stale module is refused, not misread.
#pragma once

// A C header on purpose (the module boundary): no C++ idioms here.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-use-using,modernize-redundant-void-arg)

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// What a run is; ik maps each to a terminal style (0 is never emitted).
enum ik_hl_element {
    IK_HL_KEYWORD = 1,
    IK_HL_TYPE,
    IK_HL_STRING,
    IK_HL_SPECIALCHAR,
    IK_HL_COMMENT,
    IK_HL_TODO,
    IK_HL_NUMBER,
    IK_HL_PREPROC,
    IK_HL_FUNCTION,
    IK_HL_VARIABLE,
    IK_HL_OLDFILE,
    IK_HL_NEWFILE,
    IK_HL_DIFFLINES,
    IK_HL_ELEMENT_END
};

// A styled run [begin, end) of the code, in order, not overlapping.
typedef void (*ik_hl_emit_fn)(void* ctx, uint32_t begin, uint32_t end, uint32_t element);
// Why a block stays plain (not NUL-terminated), once per language.
typedef void (*ik_hl_note_fn)(void* ctx, const char* why, size_t len);

struct ik_highlight_v1_api {
    size_t size; // sizeof(struct ik_highlight_v1_api) in the module
    // A highlighter (its compiled languages), or null. `note` may be null.
    void* (*create)(ik_hl_note_fn note, void* note_ctx);
    void (*destroy)(void* highlighter);
    // 1 when the runs emitted cover the block; 0: show it plain (runs emitted
    // so far are to be dropped).
    int (*highlight)(void* highlighter, const char* lang, size_t lang_len, const char* code, size_t code_len,
        ik_hl_emit_fn emit, void* emit_ctx);
};

#define IK_HIGHLIGHT_V1_SYMBOL "ik_highlight_v1"
typedef const struct ik_highlight_v1_api* (*ik_highlight_v1_fn)(void);

#ifdef __cplusplus
}
#endif
// NOLINTEND(modernize-deprecated-headers,modernize-use-using,modernize-redundant-void-arg)
