// ShadowRepo — a project's checkpoints, kept in a git repository of ik's own.
//
// Data model. Each project (a directory, by its real path) has one bare git
// repository under `<checkpoints dir>/<project id>/` (the id is a hash of the
// path), whose work tree is set, in memory only, to the project: nothing is
// ever written into the project's own `.git`, and the project need not be a
// git repository at all. A snapshot stages every file git would see there —
// tracked and untracked, minus what the project's .gitignore files (and the
// shadow's info/exclude, which lists `.git`) ignore — into the shadow's own
// index and writes a commit. The index keeps each file's stat data, so the
// next snapshot re-reads only the files whose size or time changed: an
// unchanged tree costs about what `git status` costs.
//
// A checkpoint is a reference `refs/ik/<time ms>-<name>`: the post-turn
// commit, whose parent is the pre-turn commit. Retention drops the oldest
// references; collect_garbage() then deletes loose objects no reference
// reaches (libgit2 has no gc). `refs/ik-head` always names the newest commit
// written, so the objects the index's caches point at are never collected.
//
// Restoring writes the files of a commit back into the project through
// temporary files renamed into place, never following a symbolic link out
// of the project.
//
// Owns: the libgit2 repository and index handles. Functions taking a
// mem::Arena return memory in that arena. Not thread-safe; one per session.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "checkpoint/internal/git.h"
#include "core/arena.h"
#include "core/result.h"

namespace ik::checkpoint {

enum class Change : char { added = 'A', modified = 'M', deleted = 'D' };

// One file a turn changed, by its path relative to the project root.
struct ChangedFile {
    std::string_view path{};
    Change change = Change::modified;
};

// One kept checkpoint reference.
struct Kept {
    std::string_view name{}; // "<time ms>-<label>"
    std::string_view commit{}; // 40 hex
    int64_t time_ms = 0;
};

struct Retention {
    int64_t keep = 100; // checkpoints per project
    int64_t max_age_days = 30;
};

struct PruneResult {
    size_t dropped_refs = 0;
    size_t deleted_objects = 0;
};

class ShadowRepo {
    struct Passkey { };

public:
    // Opens (or creates) the shadow repository of `project` under
    // `checkpoints_dir` (…/ik/checkpoints). Both paths are made absolute.
    static Result<std::unique_ptr<ShadowRepo>> open(
        const std::filesystem::path& checkpoints_dir, const std::filesystem::path& project);
    ShadowRepo(Passkey, git::Repository repo, std::filesystem::path dir, std::filesystem::path project);

    // 16 hex digits naming the project's directory.
    static Result<std::string> project_id(const std::filesystem::path& project);

    const std::filesystem::path& dir() const { return m_dir; }
    const std::filesystem::path& project() const { return m_project; }

    // Stages the project as it is now and commits it (with `parent`, a
    // commit id, when not empty). Returns the commit id.
    Result<std::string> snapshot(std::string_view message, std::string_view parent = {});
    // Keeps `commit` as checkpoint "<time_ms>-<label>"; replaces one of that name.
    Result<void> keep(int64_t time_ms, std::string_view label, std::string_view commit);
    // The kept checkpoints, oldest first. Returns memory in `arena`.
    Result<std::span<const Kept>> kept(mem::Arena& arena);
    bool has_commit(std::string_view commit);

    // The files that differ between commits `from` and `to`, by path.
    // Returns memory in `arena`.
    Result<std::span<const ChangedFile>> changes(mem::Arena& arena, std::string_view from, std::string_view to);
    // Of `files`, those whose content now differs from commit `at` (takes a
    // snapshot of the project to compare). Returns memory in `arena`.
    Result<std::span<const std::string_view>> changed_since(
        mem::Arena& arena, std::string_view at, std::span<const ChangedFile> files);
    // Puts each of `files` back as it is in commit `to`: written when it is
    // there, removed when it is not. Returns how many files it wrote or removed.
    Result<size_t> restore(std::string_view to, std::span<const ChangedFile> files);

    // Drops checkpoints beyond `retention` (counted at `now_ms`), then
    // collects garbage when any went (loose objects no reference reaches and
    // older than `grace_s`, so a concurrent snapshot's new objects survive).
    Result<PruneResult> prune(const Retention& retention, int64_t now_ms, int64_t grace_s = 600);
    // Deletes unreachable loose objects older than `grace_s`; returns how many.
    Result<size_t> collect_garbage(int64_t grace_s);
    // Bytes the shadow repository takes on disk.
    uint64_t disk_usage() const;

private:
    Result<git_oid> commit_tree(const git_oid& tree, std::string_view message, std::string_view parent);
    Result<git::Tree> tree_of(std::string_view commit);

    git::Repository m_repo;
    std::filesystem::path m_dir;
    std::filesystem::path m_project;
};

} // namespace ik::checkpoint
