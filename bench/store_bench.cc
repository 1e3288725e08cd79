// Event store performance (docs/perf.md, "Event store"):
//   append   one event per iteration, each its own committed transaction
//   load     resume: every event of a 100k-event session into an arena
//   list     `ik sessions` over 10k sessions (the default 50 rows, and all)
//   search   full text over the 100k events
// on SQLite (a file in /tmp, WAL, synchronous=NORMAL) and, when the test
// fixture is available, on a throw-away local PostgreSQL (fsync on).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include "app/sessions_cmd.h"
#include "store/store.h"
#if IK_HAVE_PG_FIXTURE
#include "support/pg_fixture.h"
#endif

namespace {

using namespace ik;

constexpr int resume_events = 100'000;
constexpr int list_sessions = 10'000;

// A store filled once per backend, shared by the benchmarks.
struct Fixture {
    std::string dir;
    std::unique_ptr<store::Store> store;
    std::string big_session;
    std::string append_session;
#if IK_HAVE_PG_FIXTURE
    std::unique_ptr<testing::PgServer> pg;
#endif
    ~Fixture()
    {
        store.reset();
        if (!dir.empty())
            std::filesystem::remove_all(dir);
    }
};

std::string event_data(int i)
{
    // Roughly the size mix of a real session: short prompts, longer replies
    // and tool output.
    std::string body(i % 10 == 0 ? 1500 : 150, 'x');
    for (size_t j = 7; j < body.size(); j += 8)
        body[j] = ' ';
    return fmt::format(R"({{"text":"event {} word{} {}"}})", i, i % 1000, body);
}

void fill(Fixture& f)
{
    store::Store& s = *f.store;
    f.big_session = *s.create_session({ .cwd = "/bench/big", .model = "m" });
    for (int i = 0; i < resume_events; ++i) {
        store::EventKind kind = i % 3 == 0 ? store::EventKind::user
            : i % 3 == 1                   ? store::EventKind::assistant
                                           : store::EventKind::tool_result;
        if (!s.append(f.big_session, kind, event_data(i)))
            std::abort();
    }
    for (int i = 0; i < list_sessions; ++i) {
        std::string id = *s.create_session({ .cwd = fmt::format("/bench/dir{}", i % 50), .model = "m" });
        if (!s.append(id, store::EventKind::user, fmt::format(R"({{"text":"session number {} about things"}})", i)))
            std::abort();
    }
    f.append_session = *s.create_session({ .cwd = "/bench/append", .model = "m" });
}

Fixture* sqlite_fixture()
{
    // Destroyed at exit: the database directory is removed then.
    static std::unique_ptr<Fixture> f = [] {
        auto fx = std::make_unique<Fixture>();
        char tmpl[] = "/tmp/ik-bench-XXXXXX";
        fx->dir = mkdtemp(tmpl);
        fx->store = std::move(*store::open_store("", fx->dir + "/ik.db"));
        fill(*fx);
        return fx;
    }();
    return f.get();
}

#if IK_HAVE_PG_FIXTURE
Fixture* pg_fixture()
{
    // Destroyed at exit: the server is stopped and its directory removed then.
    static std::unique_ptr<Fixture> f = []() -> std::unique_ptr<Fixture> {
        auto fx = std::make_unique<Fixture>();
        auto server = testing::PgServer::start({ .bin_dir = "", .fsync = true });
        if (!server) {
            fmt::print(stderr, "PostgreSQL benchmarks skipped: {}\n", server.error().to_string());
            return nullptr;
        }
        fx->pg = std::move(*server);
        std::string url = *fx->pg->create_database();
        {
            // Filling 110k events with a disk flush per commit would take
            // minutes; the fill connection commits asynchronously (PGOPTIONS
            // is read by libpq). The measured connection below does not.
            setenv("PGOPTIONS", "-c synchronous_commit=off", 1);
            auto filler = store::open_store(url, "");
            unsetenv("PGOPTIONS");
            if (!filler)
                return nullptr;
            fx->store = std::move(*filler);
            fill(*fx);
        }
        auto s = store::open_store(url, "");
        if (!s)
            return nullptr;
        fx->store = std::move(*s);
        return fx;
    }();
    return f.get();
}
#endif

using FixtureFn = Fixture* (*)();

void append(benchmark::State& state, FixtureFn get)
{
    Fixture* f = get();
    if (!f)
        return state.SkipWithError("backend unavailable");
    std::string data = event_data(1);
    for (auto _ : state) {
        if (!f->store->append(f->append_session, store::EventKind::tool_result, data))
            return state.SkipWithError("append failed");
    }
    state.SetItemsProcessed(state.iterations());
}

// One transaction per `state.range(0)` events (Store::append_many).
void append_batch(benchmark::State& state, FixtureFn get)
{
    Fixture* f = get();
    if (!f)
        return state.SkipWithError("backend unavailable");
    std::string data = event_data(1);
    std::vector<store::Store::NewEvent> batch(
        static_cast<size_t>(state.range(0)), { store::EventKind::tool_result, data });
    for (auto _ : state) {
        if (!f->store->append_many(f->append_session, batch))
            return state.SkipWithError("append failed");
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void load(benchmark::State& state, FixtureFn get)
{
    Fixture* f = get();
    if (!f)
        return state.SkipWithError("backend unavailable");
    mem::Arena arena(mem::root(), "resume");
    for (auto _ : state) {
        auto events = f->store->load_events(arena, f->big_session);
        if (!events || events->size() != resume_events)
            return state.SkipWithError("load failed");
        arena.reset();
    }
    state.SetItemsProcessed(state.iterations() * resume_events);
}

void list(benchmark::State& state, FixtureFn get)
{
    Fixture* f = get();
    if (!f)
        return state.SkipWithError("backend unavailable");
    std::FILE* null = std::fopen("/dev/null", "w");
    for (auto _ : state) {
        // The whole `ik sessions` command: query, format, write.
        if (app::sessions_list(*f->store, { .cwd = "", .limit = static_cast<size_t>(state.range(0)) }, null, null) != 0)
            return state.SkipWithError("list failed");
    }
    std::fclose(null);
}

void search(benchmark::State& state, FixtureFn get)
{
    Fixture* f = get();
    if (!f)
        return state.SkipWithError("backend unavailable");
    mem::Arena arena(mem::root(), "search");
    for (auto _ : state) {
        auto hits = f->store->search(arena, "word123", 50);
        if (!hits || hits->empty())
            return state.SkipWithError("search failed");
        arena.reset();
    }
}

BENCHMARK_CAPTURE(append, sqlite, sqlite_fixture)->MinTime(2)->UseRealTime();
BENCHMARK_CAPTURE(append_batch, sqlite, sqlite_fixture)->Arg(10)->MinTime(2)->UseRealTime();
BENCHMARK_CAPTURE(load, sqlite_100k, sqlite_fixture)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(list, sqlite_10k, sqlite_fixture)->Arg(50)->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(search, sqlite_100k, sqlite_fixture)->Unit(benchmark::kMillisecond);
#if IK_HAVE_PG_FIXTURE
BENCHMARK_CAPTURE(append, postgresql, pg_fixture)->MinTime(2)->UseRealTime();
BENCHMARK_CAPTURE(append_batch, postgresql, pg_fixture)->Arg(10)->MinTime(2)->UseRealTime();
BENCHMARK_CAPTURE(load, postgresql_100k, pg_fixture)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(list, postgresql_10k, pg_fixture)->Arg(50)->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(search, postgresql_100k, pg_fixture)->Unit(benchmark::kMillisecond);
#endif

} // namespace

BENCHMARK_MAIN();
