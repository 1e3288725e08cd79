// A Store that forwards to a real one and fails on demand: the Nth append
// from now (counting every event written, partial batches and reply ends
// included) and every one after it fails with ErrorCode::store, as a full
// disk would. Reads keep working. fail_kind() instead fails every write of
// one event kind (a failure at an exact point of a long turn).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "store/store.h"

namespace ik::agent::test {

class FailingStore final : public store::Store {
public:
    explicit FailingStore(std::unique_ptr<store::Store> inner)
        : m_inner(std::move(inner))
    {
    }
    ~FailingStore() override { close_open_replies(); }

    // 1: the next write fails. 0: none does.
    void fail_from(int nth) { m_countdown = nth; }
    void fail_kind(std::optional<store::EventKind> kind) { m_fail_kind = kind; }
    int writes() const { return m_writes; }

    std::string_view backend() const override { return m_inner->backend(); }
    std::string describe() const override { return m_inner->describe(); }
    Result<void> claim_session(std::string_view id) override { return m_inner->claim_session(id); }
    Result<std::span<const store::SessionInfo>> list_sessions(mem::Arena& a, const store::SessionFilter& f) override
    {
        return m_inner->list_sessions(a, f);
    }
    Result<store::SessionInfo> session(mem::Arena& a, std::string_view id) override { return m_inner->session(a, id); }
    Result<std::string> resolve_id(std::string_view prefix) override { return m_inner->resolve_id(prefix); }
    Result<void> load_events(std::string_view id, int64_t after, const store::EventSink& sink) override
    {
        return m_inner->load_events(id, after, sink);
    }
    using Store::load_events;
    Result<std::span<const store::SearchHit>> search(mem::Arena& a, std::string_view text, size_t limit) override
    {
        return m_inner->search(a, text, limit);
    }
    Result<int> schema_version() override { return m_inner->schema_version(); }
    Result<void> check_integrity() override { return m_inner->check_integrity(); }
    Result<size_t> recover_interrupted() override { return m_inner->recover_interrupted(); }

protected:
    Result<int64_t> do_append(
        std::string_view id, store::EventKind kind, std::string_view data, std::string_view /*title*/) override
    {
        TRY(write(kind));
        return m_inner->append(id, kind, data);
    }
    Result<int64_t> do_append_many(
        std::string_view id, std::span<const NewEvent> events, std::span<const std::string> /*titles*/) override
    {
        TRY(write());
        return m_inner->append_many(id, events);
    }
    // The first events count as one write, as they are one commit.
    Result<std::string> do_create_session(
        const store::NewSession& s, std::span<const NewEvent> first, std::span<const std::string> /*titles*/) override
    {
        if (!first.empty()) {
            for (const NewEvent& e : first) {
                if (e.kind == m_fail_kind)
                    return fail(ErrorCode::store, "disk I/O error (injected)");
            }
            TRY(write());
        }
        return m_inner->create_session(s, first);
    }
    // Replies are plain events underneath: the inner store never sees them open.
    Result<int64_t> do_begin_reply(std::string_view /*id*/) override
    {
        TRY(write());
        return ++m_replies;
    }
    Result<void> do_write_partial(std::string_view id, int64_t /*reply*/, std::string_view data) override
    {
        TRY(write());
        TRY(m_inner->append(id, store::EventKind::assistant_partial, data));
        return {};
    }
    // One write, as the backends make it one transaction.
    Result<int64_t> do_end_reply(std::string_view id, int64_t /*reply*/, store::EventKind kind, std::string_view data,
        std::span<const NewEvent> then, std::span<const std::string> /*titles*/) override
    {
        for (const NewEvent& e : then) {
            if (e.kind == m_fail_kind)
                return fail(ErrorCode::store, "disk I/O error (injected)");
        }
        TRY(write(kind));
        std::vector<NewEvent> all{ NewEvent{ kind, data } };
        all.insert(all.end(), then.begin(), then.end());
        int64_t last = TRY(m_inner->append_many(id, all));
        return last - static_cast<int64_t>(then.size());
    }

private:
    Result<void> write(std::optional<store::EventKind> kind = std::nullopt)
    {
        ++m_writes;
        if (kind && kind == m_fail_kind)
            return fail(ErrorCode::store, "disk I/O error (injected)");
        if (m_countdown > 0 && --m_countdown == 0)
            m_failing = true;
        if (m_failing)
            return fail(ErrorCode::store, "disk I/O error (injected)");
        return {};
    }

    std::unique_ptr<store::Store> m_inner;
    std::optional<store::EventKind> m_fail_kind;
    int m_countdown = 0;
    bool m_failing = false;
    int m_writes = 0;
    int64_t m_replies = 0;
};

} // namespace ik::agent::test
