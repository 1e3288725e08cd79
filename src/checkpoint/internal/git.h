// libgit2 handles as RAII owners, and libgit2's errors as ik::Error.
//
// Every libgit2 object the checkpoint module holds is a GitPtr: a unique_ptr
// whose deleter is the matching git_*_free, so an early return (TRY) never
// leaks a handle. libgit2 itself is initialised once per process (GitLibrary)
// and never shut down: its global state is tiny and other code may hold
// handles during static destruction.
#pragma once

#include <memory>
#include <string_view>

#include <git2.h>

#include "core/result.h"

namespace ik::checkpoint::git {

template <auto Free> struct Deleter {
    template <typename T> void operator()(T* p) const { Free(p); }
};

using Repository = std::unique_ptr<git_repository, Deleter<git_repository_free>>;
using Index = std::unique_ptr<git_index, Deleter<git_index_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree_free>>;
using TreeEntry = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob_free>>;
using Diff = std::unique_ptr<git_diff, Deleter<git_diff_free>>;
using Signature = std::unique_ptr<git_signature, Deleter<git_signature_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<git_reference_free>>;
using ReferenceIterator = std::unique_ptr<git_reference_iterator, Deleter<git_reference_iterator_free>>;

// Calls git_libgit2_init() once.
void ensure_initialised();

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
