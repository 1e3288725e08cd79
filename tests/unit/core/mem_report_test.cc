#include <cstdlib>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/json.h"
#include "core/mem_report.h"

using ik::mem::Arena;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

std::string line_of(const std::string& text, size_t index)
{
    size_t start = 0;
    for (size_t i = 0; i < index; ++i)
        start = text.find('\n', start) + 1;
    return text.substr(start, text.find('\n', start) - start);
}

} // namespace

TEST(MemReport, TextShowsEveryNodeIndentedUnderItsParent)
{
    Arena app("app");
    Arena& session = app.make_child("session");
    Arena& turn = session.make_child("turn");
    Arena& other = app.make_child("other");
    turn.alloc(100);
    other.alloc(10);

    std::string text = ik::mem::report_text(app);
    EXPECT_THAT(line_of(text, 0), StartsWith("full arena report on 'app'"));
    EXPECT_THAT(line_of(text, 1), StartsWith("app: "));
    // Children are listed newest first, each 4 columns deeper than its parent.
    EXPECT_THAT(line_of(text, 2), StartsWith("    other: "));
    EXPECT_THAT(line_of(text, 3), StartsWith("    session: "));
    EXPECT_THAT(line_of(text, 4), StartsWith("        turn: "));
    EXPECT_EQ(line_of(text, 5), "");
}

TEST(MemReport, TextNumbersMatchStats)
{
    Arena app("app");
    Arena& turn = app.make_child("turn");
    turn.alloc(100);
    turn.alloc(28);
    app.alloc(5000); // a large allocation: its own block

    std::string text = ik::mem::report_text(app);
    const auto& t = turn.stats();
    EXPECT_EQ(line_of(text, 2),
        fmt::format("    turn: {} bytes, peak {}, reserved {} in {} blocks, {} allocs; subtree {} bytes, "
                    "{} reserved",
            t.bytes, t.peak, t.reserved, t.blocks, t.allocs, t.bytes, turn.subtree_reserved()));
    EXPECT_EQ(t.bytes, 128u);
    ik::mem::Stats sub = app.subtree_stats();
    EXPECT_THAT(line_of(text, 0),
        HasSubstr(fmt::format("(total {} bytes in use, peak {}, {} reserved in {} blocks, {} allocs)", sub.bytes,
            sub.peak, app.subtree_reserved(), sub.blocks, sub.allocs)));
    EXPECT_EQ(sub.bytes, 5128u);
    EXPECT_EQ(sub.allocs, 3u);
}

TEST(MemReport, CapAndPressureAreShownOnlyWhenSet)
{
    Arena app("app");
    Arena& capped = app.make_child("capped", { .cap = 10000, .block_size = 4096 });
    capped.alloc(1000);
    std::string text = ik::mem::report_text(app);
    EXPECT_THAT(line_of(text, 1), Not(HasSubstr("cap")));
    size_t pct = capped.subtree_reserved() * 100 / 10000;
    EXPECT_THAT(line_of(text, 2), HasSubstr(fmt::format("; cap 10000 ({}%, normal)", pct)));

    capped.alloc(2000);
    capped.alloc(2000); // does not fit the first block: a second one, over 80%
    ASSERT_EQ(capped.pressure(), ik::mem::Pressure::high);
    EXPECT_THAT(ik::mem::report_text(app), HasSubstr("%, high)"));
    capped.alloc(4000); // the unchecked path lets it through, past the cap
    ASSERT_EQ(capped.pressure(), ik::mem::Pressure::over);
    EXPECT_THAT(ik::mem::report_text(app), HasSubstr("%, over)"));
}

TEST(MemReport, JsonMatchesStatsAndRoundTrips)
{
    Arena app("app");
    Arena& session = app.make_child("session", { .cap = 1 << 20 });
    Arena& turn = session.make_child("turn");
    turn.alloc(64);
    session.alloc(32);

    Arena out("report");
    boost::json::value v = ik::mem::report_json(app, out);
    std::string text = boost::json::serialize(v);
    boost::json::value back = boost::json::parse(text);
    EXPECT_EQ(back, v);

    ik::json::Field f(back);
    EXPECT_EQ(f["name"].string_or(""), "app");
    EXPECT_EQ(f["children"].size(), 1u);
    EXPECT_EQ(f["children"][0]["name"].string_or(""), "session");
    EXPECT_EQ(f["children"][0]["cap"].integer_or(0), 1 << 20);
    EXPECT_EQ(f["children"][0]["pressure"].string_or(""), "normal");
    EXPECT_FALSE(f["cap"].exists());
    auto tj = f["children"][0]["children"][0];
    EXPECT_EQ(tj["name"].string_or(""), "turn");
    EXPECT_EQ(tj["bytes"].integer_or(-1), static_cast<int64_t>(turn.stats().bytes));
    EXPECT_EQ(tj["peak"].integer_or(-1), static_cast<int64_t>(turn.stats().peak));
    EXPECT_EQ(tj["reserved"].integer_or(-1), static_cast<int64_t>(turn.stats().reserved));
    EXPECT_EQ(tj["blocks"].integer_or(-1), static_cast<int64_t>(turn.stats().blocks));
    EXPECT_EQ(tj["allocs"].integer_or(-1), 1);
    EXPECT_EQ(tj["children"].size(), 0u);
    EXPECT_EQ(f["subtree"]["bytes"].integer_or(-1), 96);
    EXPECT_EQ(f["subtree"]["reserved"].integer_or(-1), static_cast<int64_t>(app.subtree_reserved()));
    // The report lives in `out`, not on the heap of the reported tree.
    EXPECT_GT(out.stats().bytes, 0u);
}

TEST(MemReport, ReportAtExitPrintsOnlyWhenAsked)
{
    unsetenv("IK_MEM_REPORT");
    ::testing::internal::CaptureStderr();
    ik::mem::maybe_report_at_exit();
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");

    setenv("IK_MEM_REPORT", "1", 1);
    ::testing::internal::CaptureStderr();
    ik::mem::maybe_report_at_exit();
    std::string err = ::testing::internal::GetCapturedStderr();
    unsetenv("IK_MEM_REPORT");
    EXPECT_THAT(err, StartsWith("full arena report on 'ik'"));
    EXPECT_THAT(err, HasSubstr("\nik: "));
}

TEST(MemReport, HumanUnitsAndTheProcessRss)
{
    EXPECT_EQ(ik::mem::human_bytes(0), "0 B");
    EXPECT_EQ(ik::mem::human_bytes(1023), "1023 B");
    EXPECT_EQ(ik::mem::human_bytes(1536), "1.5 KiB");
    EXPECT_EQ(ik::mem::human_bytes(12 * 1024 * 1024 + 300 * 1024), "12.3 MiB");
    EXPECT_EQ(ik::mem::human_bytes(size_t{ 3 } << 30), "3.0 GiB");
    EXPECT_GT(ik::mem::resident_bytes(), 1u << 20); // a running test program holds more than 1 MiB

    ik::mem::Arena app(ik::mem::root(), "app");
    ik::mem::Arena& session = app.make_child("session");
    session.alloc(3000);
    std::string text = ik::mem::report_text(app, ik::mem::Units::human);
    EXPECT_THAT(line_of(text, 0), HasSubstr("; process RSS "));
    EXPECT_THAT(line_of(text, 0), HasSubstr(" MiB"));
    EXPECT_THAT(line_of(text, 2), StartsWith("    session: 2.9 KiB, peak 2.9 KiB, reserved "));
    EXPECT_THAT(ik::mem::report_text(app), HasSubstr("    session: 3000 bytes, peak 3000, reserved "));
}
