#include <gtest/gtest.h>

#include "net/jsonrpc.h"

namespace ik::net::jsonrpc {
namespace {

struct Parsed {
    mem::Arena arena{ mem::root(), "jsonrpc-test" };
    Message m;
    explicit Parsed(std::string_view text)
        : m(parse(arena, text))
    {
    }
};

TEST(JsonRpc, RequestNotificationResponseAndError)
{
    Parsed req(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"x"}})");
    EXPECT_EQ(req.m.kind, Kind::request);
    EXPECT_EQ(req.m.id, Id::of(7));
    EXPECT_EQ(req.m.method, "tools/list");
    ASSERT_NE(req.m.params, nullptr);
    EXPECT_TRUE(req.m.params->is_object());

    Parsed note(R"({"jsonrpc":"2.0","method":"notifications/tools/list_changed"})");
    EXPECT_EQ(note.m.kind, Kind::notification);
    EXPECT_TRUE(note.m.id.is_null);

    Parsed res(R"({"jsonrpc":"2.0","id":"a-1","result":{"tools":[]}})");
    EXPECT_EQ(res.m.kind, Kind::response);
    EXPECT_TRUE(res.m.id.is_string);
    EXPECT_EQ(res.m.id.text, "a-1");
    EXPECT_EQ(res.m.id.to_json(), "\"a-1\"");
    ASSERT_NE(res.m.result, nullptr);

    Parsed err(R"({"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"no such method","data":[1]}})");
    EXPECT_EQ(err.m.kind, Kind::error);
    EXPECT_EQ(err.m.id, Id::of(3));
    EXPECT_EQ(err.m.error.code, method_not_found);
    EXPECT_EQ(err.m.error.message, "no such method");
    ASSERT_NE(err.m.error.data, nullptr);
}

TEST(JsonRpc, IdsMatchOnlyTheSameKindAndValue)
{
    Parsed s(R"({"jsonrpc":"2.0","id":"7","result":1})");
    EXPECT_FALSE(s.m.id == Id::of(7)); // the string "7" is not the number 7
    EXPECT_EQ(Id::of(7), Id::of(7));
    EXPECT_FALSE(Id::of(7) == Id::of(8));
    EXPECT_EQ(Id{}, Id{});
}

TEST(JsonRpc, MalformedInputIsAValueNotAnError)
{
    struct Case {
        std::string_view text;
        int64_t code;
    };
    for (Case c : { Case{ "not json", parse_error }, Case{ "{\"jsonrpc\":\"2.0\",", parse_error },
             Case{ "[1,2]", invalid_request }, Case{ R"({"id":1,"result":1})", invalid_request },
             Case{ R"({"jsonrpc":"1.0","id":1,"result":1})", invalid_request },
             Case{ R"({"jsonrpc":"2.0","id":1.5,"result":1})", invalid_request },
             Case{ R"({"jsonrpc":"2.0","id":{},"method":"x"})", invalid_request },
             Case{ R"({"jsonrpc":"2.0","method":7})", invalid_request },
             Case{ R"({"jsonrpc":"2.0","method":"x","params":3})", invalid_request },
             Case{ R"({"jsonrpc":"2.0","result":1})", invalid_request },
             Case{ R"({"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"m"}})", invalid_request },
             Case{ R"({"jsonrpc":"2.0","id":1,"error":"boom"})", invalid_request },
             Case{ R"({"jsonrpc":"2.0","id":1,"error":{"message":"no code"}})", invalid_request } }) {
        Parsed p(c.text);
        EXPECT_EQ(p.m.kind, Kind::invalid) << c.text;
        EXPECT_EQ(p.m.error.code, c.code) << c.text;
        EXPECT_FALSE(p.m.problem.empty()) << c.text;
    }
}

TEST(JsonRpc, EncodersEscapeAndRoundTrip)
{
    EXPECT_EQ(request(1, "tools/list"), R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
    EXPECT_EQ(notification("notifications/initialized"), R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    std::string odd = request(2, "a\"b\n\x1b[2J", R"({"x":1})");
    Parsed back(odd);
    EXPECT_EQ(back.m.kind, Kind::request);
    EXPECT_EQ(back.m.method, "a\"b\n\x1b[2J");
    EXPECT_EQ(odd.find('\n'), std::string::npos); // one line on the wire

    Parsed r(response(Id::of(9), "{}"));
    EXPECT_EQ(r.m.kind, Kind::response);
    EXPECT_EQ(r.m.id, Id::of(9));
    Parsed e(error_response(Id{}, parse_error, "Parse error"));
    EXPECT_EQ(e.m.kind, Kind::error);
    EXPECT_TRUE(e.m.id.is_null);
    EXPECT_EQ(e.m.error.code, parse_error);
}

} // namespace
} // namespace ik::net::jsonrpc
