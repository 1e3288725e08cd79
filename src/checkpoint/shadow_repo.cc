#include "checkpoint/shadow_repo.h"

#include <algorithm>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace ik::checkpoint {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view ref_prefix = "refs/ik/";
constexpr std::string_view head_ref = "refs/ik-head";

// Nested repositories and other ik processes' lock files are never staged;
// `.git` anywhere is the project's (or a nested project's) own history.
constexpr std::string_view exclude_text = "# written by ik: what checkpoints never hold\n.git\n";

Result<fs::path> absolute_real(const fs::path& p)
{
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(fs::absolute(p, ec), ec);
    if (ec)
        return fail(ErrorCode::io, "{}: {}", p.string(), ec.message());
    return abs;
}

} // namespace

Result<std::string> ShadowRepo::project_id(const fs::path& project)
{
    TRY(git::ensure_loaded());
    std::string text = project.string();
    git_oid oid{};
    git::api().git_odb_hash(&oid, text.data(), text.size(), GIT_OBJECT_BLOB);
    return git::to_hex(oid).substr(0, 16);
}

ShadowRepo::ShadowRepo(Passkey, git::Repository repo, fs::path dir, fs::path project)
    : m_repo(std::move(repo))
    , m_dir(std::move(dir))
    , m_project(std::move(project))
{
}

Result<std::unique_ptr<ShadowRepo>> ShadowRepo::open(const fs::path& checkpoints_dir, const fs::path& project)
{
    TRY(git::ensure_loaded());
    fs::path root = TRY(absolute_real(project));
    fs::path base = TRY(absolute_real(checkpoints_dir));
    // Snapshots of a project holding its own shadow repository would grow without end.
    if ((base.string() + "/").starts_with(root.string() + "/"))
        return fail(ErrorCode::invalid_argument, "the checkpoints directory {} is inside the project {}", base.string(),
            root.string());
    fs::path dir = base / TRY(project_id(root));
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return fail(ErrorCode::io, "cannot create {}: {}", dir.string(), ec.message());
    git_repository* raw = nullptr;
    if (git::api().git_repository_open_bare(&raw, dir.c_str()) < 0) {
        TRY(git::check(git::api().git_repository_init(&raw, dir.c_str(), 1), "creating the checkpoint repository"));
    }
    git::Repository repo(raw);
    // In memory only (no gitlink, no core.worktree): the project is never written to.
    TRY(git::check(
        git::api().git_repository_set_workdir(repo.get(), root.c_str(), 0), "setting the project directory"));
    fs::path exclude = dir / "info" / "exclude";
    if (!fs::exists(exclude, ec)) {
        fs::create_directories(exclude.parent_path(), ec);
        std::ofstream(exclude) << exclude_text;
    }
    // Written once, read by the user who looks inside: where this repository's files come from.
    fs::path origin = dir / "ik-project";
    if (!fs::exists(origin, ec))
        std::ofstream(origin) << root.string() << '\n';
    return std::make_unique<ShadowRepo>(Passkey{}, std::move(repo), std::move(dir), std::move(root));
}

Result<git_oid> ShadowRepo::commit_tree(const git_oid& tree_id, std::string_view message, std::string_view parent)
{
    git_tree* tree_raw = nullptr;
    TRY(git::check(git::api().git_tree_lookup(&tree_raw, m_repo.get(), &tree_id), "reading the snapshot's tree"));
    git::Tree tree(tree_raw);
    git::Commit parent_commit;
    if (!parent.empty()) {
        git_oid pid = TRY(git::parse_oid(parent));
        git_commit* p = nullptr;
        TRY(git::check(git::api().git_commit_lookup(&p, m_repo.get(), &pid), "reading the pre-turn snapshot"));
        parent_commit.reset(p);
    }
    git_signature* sig_raw = nullptr;
    TRY(git::check(git::api().git_signature_now(&sig_raw, "ik", "ik@localhost"), "making the snapshot's signature"));
    git::Signature sig(sig_raw);
    std::string text(message);
    const git_commit* parents[1] = { parent_commit.get() };
    git_oid id{};
    TRY(git::check(git::api().git_commit_create(&id, m_repo.get(), nullptr, sig.get(), sig.get(), nullptr, text.c_str(),
                       tree.get(), parent_commit ? 1 : 0, parents),
        "writing the snapshot"));
    git_reference* ref = nullptr;
    TRY(git::check(git::api().git_reference_create(&ref, m_repo.get(), std::string(head_ref).c_str(), &id, 1, nullptr),
        "naming the newest snapshot"));
    git::api().git_reference_free(ref);
    return id;
}

Result<std::string> ShadowRepo::snapshot(std::string_view message, std::string_view parent)
{
    git_index* raw = nullptr;
    TRY(git::check(git::api().git_repository_index(&raw, m_repo.get()), "opening the checkpoint index"));
    git::Index index(raw);
    TRY(git::check(git::api().git_index_read(index.get(), 0), "reading the checkpoint index"));

    // One walk of the project against the index (its stat cache decides
    // which files are read at all), then only the differences are applied.
    git_diff_options opts{};
    TRY(git::check(git::api().git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION), "preparing a diff"));
    opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_UPDATE_INDEX
        | GIT_DIFF_INCLUDE_TYPECHANGE;
    git_diff* diff_raw = nullptr;
    TRY(git::check(
        git::api().git_diff_index_to_workdir(&diff_raw, m_repo.get(), index.get(), &opts), "scanning the project"));
    git::Diff diff(diff_raw);
    size_t n = git::api().git_diff_num_deltas(diff.get());
    for (size_t i = 0; i < n; ++i) {
        const git_diff_delta* d = git::api().git_diff_get_delta(diff.get(), i);
        if (d->status == GIT_DELTA_DELETED) {
            TRY(git::check(
                git::api().git_index_remove_bypath(index.get(), d->old_file.path), "dropping a deleted file"));
            continue;
        }
        std::string_view path = d->new_file.path;
        if (path.ends_with('/') || d->new_file.mode == GIT_FILEMODE_COMMIT)
            continue; // a nested repository: its own history, not ours
        int rc = git::api().git_index_add_bypath(index.get(), d->new_file.path);
        // A file that vanished or became unreadable between the walk and the
        // read is left as it was: a snapshot of a tree being changed is
        // never exact, and one unreadable file must not lose the rest.
        if (rc < 0 && rc != GIT_ENOTFOUND) {
            if (git::api().git_error_last() && git::api().git_error_last()->klass == GIT_ERROR_OS)
                continue;
            return fail(git::last_error(fmt::format("staging {}", path), rc));
        }
    }
    git_oid tree{};
    TRY(git::check(git::api().git_index_write_tree(&tree, index.get()), "writing the snapshot's tree"));
    TRY(git::check(git::api().git_index_write(index.get()), "saving the checkpoint index"));
    git_oid id = TRY(commit_tree(tree, message, parent));
    return git::to_hex(id);
}

Result<void> ShadowRepo::keep(int64_t time_ms, std::string_view label, std::string_view commit)
{
    git_oid id = TRY(git::parse_oid(commit));
    std::string name = fmt::format("{}{:013}-{}", ref_prefix, time_ms, label);
    git_reference* ref = nullptr;
    TRY(git::check(
        git::api().git_reference_create(&ref, m_repo.get(), name.c_str(), &id, 1, nullptr), "keeping the checkpoint"));
    git::api().git_reference_free(ref);
    return {};
}

Result<std::span<const Kept>> ShadowRepo::kept(mem::Arena& arena)
{
    git_reference_iterator* it_raw = nullptr;
    std::string glob = std::string(ref_prefix) + "*";
    TRY(git::check(
        git::api().git_reference_iterator_glob_new(&it_raw, m_repo.get(), glob.c_str()), "listing the checkpoints"));
    git::ReferenceIterator it(it_raw);
    std::vector<Kept> out;
    git_reference* ref = nullptr;
    while (git::api().git_reference_next(&ref, it.get()) == 0) {
        git::Reference owned(ref);
        std::string_view name = git::api().git_reference_name(ref);
        const git_oid* target = git::api().git_reference_target(ref);
        if (!target)
            continue;
        name.remove_prefix(ref_prefix.size());
        int64_t ms = 0;
        for (char c : name.substr(0, name.find('-'))) {
            if (c < '0' || c > '9')
                break;
            ms = ms * 10 + (c - '0');
        }
        out.push_back({ arena.copy(name), arena.copy(git::to_hex(*target)), ms });
    }
    std::sort(out.begin(), out.end(), [](const Kept& a, const Kept& b) { return a.name < b.name; });
    Kept* array = arena.make_array<Kept>(out.size());
    std::copy(out.begin(), out.end(), array);
    return std::span<const Kept>(array, out.size());
}

bool ShadowRepo::has_commit(std::string_view commit)
{
    auto id = git::parse_oid(commit);
    if (!id)
        return false;
    git_commit* c = nullptr;
    if (git::api().git_commit_lookup(&c, m_repo.get(), &*id) < 0)
        return false;
    git::Commit owned(c);
    git_tree* t = nullptr;
    if (git::api().git_commit_tree(&t, c) < 0)
        return false;
    git::api().git_tree_free(t);
    return true;
}

Result<git::Tree> ShadowRepo::tree_of(std::string_view commit)
{
    git_oid id = TRY(git::parse_oid(commit));
    git_commit* c = nullptr;
    TRY(git::check(git::api().git_commit_lookup(&c, m_repo.get(), &id),
        fmt::format("reading checkpoint {}", commit.substr(0, 12))));
    git::Commit owned(c);
    git_tree* t = nullptr;
    TRY(git::check(git::api().git_commit_tree(&t, c), fmt::format("reading checkpoint {}", commit.substr(0, 12))));
    return git::Tree(t);
}

Result<std::span<const ChangedFile>> ShadowRepo::changes(mem::Arena& arena, std::string_view from, std::string_view to)
{
    git::Tree a = TRY(tree_of(from));
    git::Tree b = TRY(tree_of(to));
    git_diff_options opts{};
    TRY(git::check(git::api().git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION), "preparing a diff"));
    opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
    git_diff* raw = nullptr;
    TRY(git::check(
        git::api().git_diff_tree_to_tree(&raw, m_repo.get(), a.get(), b.get(), &opts), "comparing checkpoints"));
    git::Diff diff(raw);
    size_t n = git::api().git_diff_num_deltas(diff.get());
    auto* out = arena.make_array<ChangedFile>(n);
    size_t count = 0;
    for (size_t i = 0; i < n; ++i) {
        const git_diff_delta* d = git::api().git_diff_get_delta(diff.get(), i);
        Change change = Change::modified;
        if (d->status == GIT_DELTA_ADDED)
            change = Change::added;
        else if (d->status == GIT_DELTA_DELETED)
            change = Change::deleted;
        const char* path = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
        out[count++] = { arena.copy(path), change };
    }
    return std::span<const ChangedFile>(out, count);
}

Result<std::span<const std::string_view>> ShadowRepo::changed_since(
    mem::Arena& arena, std::string_view at, std::span<const ChangedFile> files)
{
    std::string now = TRY(snapshot("ik: the project before an undo"));
    auto moved = TRY(changes(arena, at, now));
    std::vector<std::string_view> paths;
    for (const ChangedFile& m : moved)
        paths.push_back(m.path);
    std::sort(paths.begin(), paths.end());
    auto* out = arena.make_array<std::string_view>(files.size());
    size_t count = 0;
    for (const ChangedFile& f : files)
        if (std::binary_search(paths.begin(), paths.end(), f.path))
            out[count++] = f.path;
    return std::span<const std::string_view>(out, count);
}

} // namespace ik::checkpoint
