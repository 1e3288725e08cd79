// libgit2, loaded on the first checkpoint; its handles as RAII owners and its
// errors as ik::Error.
//
// libgit2 is not linked into ik: with the five objects only it pulls in (mbed
// TLS, http_parser) it was a sixth of the dynamic loader's work at every start,
// for prompts that never take a checkpoint (docs/perf.md). It is a LazyLibrary
// (core/lazy_library.h): ensure_loaded() dlopens it once per process, resolves
// every function ik calls (IK_GIT2_FUNCTIONS) and initialises it; api() is
// that table. The headers still give the types and constants.
//
// Every libgit2 object the checkpoint module holds is a GitPtr: a unique_ptr
// whose deleter is the matching git_*_free, so an early return (TRY) never
// leaks a handle. libgit2 is never shut down or unloaded: its global state is
// tiny and other code may hold handles during static destruction.
//
//   TRY(git::ensure_loaded());
//   git_repository* raw = nullptr;
//   TRY(git::check(git::api().git_repository_open_bare(&raw, path), "opening"));
//   git::Repository repo(raw);
#pragma once

#include <memory>
#include <string_view>

#include <git2.h>

#include "core/lazy_library.h"
#include "core/result.h"

namespace ik::checkpoint::git {

// Every libgit2 function ik calls; a new call is added here.
#define IK_GIT2_FUNCTIONS(X)                                                                                           \
    X(git_blob_free)                                                                                                   \
    X(git_blob_lookup)                                                                                                 \
    X(git_blob_rawcontent)                                                                                             \
    X(git_blob_rawsize)                                                                                                \
    X(git_commit_create)                                                                                               \
    X(git_commit_free)                                                                                                 \
    X(git_commit_lookup)                                                                                               \
    X(git_commit_parent_id)                                                                                            \
    X(git_commit_parentcount)                                                                                          \
    X(git_commit_tree)                                                                                                 \
    X(git_commit_tree_id)                                                                                              \
    X(git_diff_free)                                                                                                   \
    X(git_diff_get_delta)                                                                                              \
    X(git_diff_index_to_workdir)                                                                                       \
    X(git_diff_num_deltas)                                                                                             \
    X(git_diff_options_init)                                                                                           \
    X(git_diff_tree_to_tree)                                                                                           \
    X(git_error_last)                                                                                                  \
    X(git_index_add_bypath)                                                                                            \
    X(git_index_entrycount)                                                                                            \
    X(git_index_free)                                                                                                  \
    X(git_index_get_byindex)                                                                                           \
    X(git_index_read)                                                                                                  \
    X(git_index_remove_bypath)                                                                                         \
    X(git_index_write)                                                                                                 \
    X(git_index_write_tree)                                                                                            \
    X(git_libgit2_init)                                                                                                \
    X(git_odb_hash)                                                                                                    \
    X(git_oid_equal)                                                                                                   \
    X(git_oid_fromstr)                                                                                                 \
    X(git_oid_fromstrn)                                                                                                \
    X(git_oid_tostr)                                                                                                   \
    X(git_reference_create)                                                                                            \
    X(git_reference_free)                                                                                              \
    X(git_reference_iterator_free)                                                                                     \
    X(git_reference_iterator_glob_new)                                                                                 \
    X(git_reference_iterator_new)                                                                                      \
    X(git_reference_name)                                                                                              \
    X(git_reference_next)                                                                                              \
    X(git_reference_remove)                                                                                            \
    X(git_reference_target)                                                                                            \
    X(git_repository_free)                                                                                             \
    X(git_repository_index)                                                                                            \
    X(git_repository_init)                                                                                             \
    X(git_repository_open_bare)                                                                                        \
    X(git_repository_set_workdir)                                                                                      \
    X(git_signature_free)                                                                                              \
    X(git_signature_now)                                                                                               \
    X(git_tree_entry_byindex)                                                                                          \
    X(git_tree_entry_bypath)                                                                                           \
    X(git_tree_entry_filemode)                                                                                         \
    X(git_tree_entry_free)                                                                                             \
    X(git_tree_entry_id)                                                                                               \
    X(git_tree_entry_type)                                                                                             \
    X(git_tree_entrycount)                                                                                             \
    X(git_tree_free)                                                                                                   \
    X(git_tree_lookup)

IK_LAZY_API(Api, IK_GIT2_FUNCTIONS)

// Loads and initialises libgit2 once; an error names the library and why
// (dlopen's message, or the first function it lacks). Call before api().
Result<void> ensure_loaded();
// The loaded functions. PANIC before ensure_loaded() has succeeded.
const Api& api();

template <auto Free> struct Deleter {
    template <typename T> void operator()(T* p) const { (api().*Free)(p); }
};

using Repository = std::unique_ptr<git_repository, Deleter<&Api::git_repository_free>>;
using Index = std::unique_ptr<git_index, Deleter<&Api::git_index_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<&Api::git_tree_free>>;
using TreeEntry = std::unique_ptr<git_tree_entry, Deleter<&Api::git_tree_entry_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<&Api::git_commit_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<&Api::git_blob_free>>;
using Diff = std::unique_ptr<git_diff, Deleter<&Api::git_diff_free>>;
using Signature = std::unique_ptr<git_signature, Deleter<&Api::git_signature_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<&Api::git_reference_free>>;
using ReferenceIterator = std::unique_ptr<git_reference_iterator, Deleter<&Api::git_reference_iterator_free>>;

// The last libgit2 error of this thread as an ik::Error: "<what>: <message>".
Error last_error(std::string_view what, int code);

// Fails with last_error(what) unless `code` is 0 (or positive).
inline Result<void> check(int code, std::string_view what)
{
    if (code < 0)
        return fail(last_error(what, code));
    return {};
}

// "0123…" (40 hex) from an oid, and back.
std::string to_hex(const git_oid& oid);
Result<git_oid> parse_oid(std::string_view hex);

} // namespace ik::checkpoint::git
