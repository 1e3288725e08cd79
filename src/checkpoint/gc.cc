// ShadowRepo::prune and collect_garbage — retention for the shadow repository.
//
// libgit2 writes loose objects and has no gc. Retention drops the oldest
// checkpoint references; collection then marks every object reachable from
// the remaining references (commits, their parents, their trees, each tree
// walked once) plus every blob the index names, and deletes the other loose
// object files. A grace period spares objects written recently, which a
// concurrent ik process may be about to reference.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <unordered_set>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "checkpoint/shadow_repo.h"

namespace ik::checkpoint {

namespace fs = std::filesystem;

namespace {

struct OidHash {
    size_t operator()(const git_oid& o) const
    {
        size_t h = 0;
        std::memcpy(&h, o.id, sizeof h);
        return h;
    }
};
struct OidEq {
    bool operator()(const git_oid& a, const git_oid& b) const { return git::api().git_oid_equal(&a, &b) != 0; }
};
using OidSet = std::unordered_set<git_oid, OidHash, OidEq>;

void mark_tree(git_repository* repo, const git_oid& id, OidSet& seen)
{
    if (!seen.insert(id).second)
        return;
    git_tree* raw = nullptr;
    if (git::api().git_tree_lookup(&raw, repo, &id) < 0)
        return;
    git::Tree tree(raw);
    size_t n = git::api().git_tree_entrycount(raw);
    for (size_t i = 0; i < n; ++i) {
        const git_tree_entry* e = git::api().git_tree_entry_byindex(raw, i);
        if (git::api().git_tree_entry_type(e) == GIT_OBJECT_TREE)
            mark_tree(repo, *git::api().git_tree_entry_id(e), seen);
        else if (git::api().git_tree_entry_type(e) == GIT_OBJECT_BLOB)
            seen.insert(*git::api().git_tree_entry_id(e));
    }
}

void mark_commit(git_repository* repo, const git_oid& start, OidSet& seen)
{
    std::vector<git_oid> todo{ start };
    while (!todo.empty()) {
        git_oid id = todo.back();
        todo.pop_back();
        if (!seen.insert(id).second)
            continue;
        git_commit* raw = nullptr;
        if (git::api().git_commit_lookup(&raw, repo, &id) < 0)
            continue;
        git::Commit commit(raw);
        mark_tree(repo, *git::api().git_commit_tree_id(raw), seen);
        for (unsigned i = 0; i < git::api().git_commit_parentcount(raw); ++i)
            todo.push_back(*git::api().git_commit_parent_id(raw, i));
    }
}

} // namespace

Result<PruneResult> ShadowRepo::prune(const Retention& retention, int64_t now_ms, int64_t grace_s)
{
    mem::Arena scratch(mem::root(), "checkpoint prune");
    auto all = TRY(kept(scratch));
    int64_t oldest_ms = now_ms - retention.max_age_days * 24 * 3600 * 1000;
    size_t excess = all.size() > static_cast<size_t>(retention.keep) ? all.size() - retention.keep : 0;
    PruneResult out;
    for (size_t i = 0; i < all.size(); ++i) {
        if (i >= excess && all[i].time_ms >= oldest_ms)
            continue;
        std::string name = "refs/ik/" + std::string(all[i].name);
        TRY(git::check(git::api().git_reference_remove(m_repo.get(), name.c_str()), "dropping an old checkpoint"));
        ++out.dropped_refs;
    }
    if (out.dropped_refs > 0)
        out.deleted_objects = TRY(collect_garbage(grace_s));
    return out;
}

Result<size_t> ShadowRepo::collect_garbage(int64_t grace_s)
{
    OidSet reachable;
    git_reference_iterator* it_raw = nullptr;
    TRY(git::check(git::api().git_reference_iterator_new(&it_raw, m_repo.get()), "listing the references"));
    git::ReferenceIterator it(it_raw);
    git_reference* ref = nullptr;
    while (git::api().git_reference_next(&ref, it.get()) == 0) {
        git::Reference owned(ref);
        if (const git_oid* target = git::api().git_reference_target(ref))
            mark_commit(m_repo.get(), *target, reachable);
    }
    git_index* index_raw = nullptr;
    TRY(git::check(git::api().git_repository_index(&index_raw, m_repo.get()), "opening the checkpoint index"));
    git::Index index(index_raw);
    (void)git::api().git_index_read(index.get(), 0); // a missing index (no snapshot yet) is empty
    for (size_t i = 0; i < git::api().git_index_entrycount(index.get()); ++i)
        reachable.insert(git::api().git_index_get_byindex(index.get(), i)->id);

    auto cutoff = std::chrono::system_clock::now() - std::chrono::seconds(grace_s);
    time_t cutoff_s = std::chrono::system_clock::to_time_t(cutoff);
    size_t deleted = 0;
    std::error_code ec;
    for (const auto& fan : fs::directory_iterator(m_dir / "objects", ec)) {
        std::string prefix = fan.path().filename().string();
        if (prefix.size() != 2 || !fan.is_directory(ec))
            continue; // pack/, info/
        for (const auto& file : fs::directory_iterator(fan.path(), ec)) {
            std::string hex = prefix + file.path().filename().string();
            git_oid id{};
            if (hex.size() != GIT_OID_HEXSZ || git::api().git_oid_fromstr(&id, hex.c_str()) != 0)
                continue;
            if (reachable.contains(id))
                continue;
            struct stat st { };
            if (::lstat(file.path().c_str(), &st) != 0 || st.st_mtime > cutoff_s)
                continue;
            if (::unlink(file.path().c_str()) == 0)
                ++deleted;
        }
    }
    return deleted;
}

uint64_t ShadowRepo::disk_usage() const
{
    uint64_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(m_dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        struct stat st { };
        if (::lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode))
            total += static_cast<uint64_t>(st.st_blocks) * 512;
    }
    return total;
}

} // namespace ik::checkpoint
