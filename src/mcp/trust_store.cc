#include "mcp/trust_store.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>

#include "core/json.h"
#include "core/panic.h"
#include "core/state_file.h"

namespace ik::mcp {

namespace {

// A bigger file is not ours: read as empty.
constexpr size_t max_file_bytes = 1 << 20;

} // namespace

std::string_view to_string(Trust trust)
{
    switch (trust) {
    case Trust::undecided:
        return "undecided";
    case Trust::trusted:
        return "trusted";
    case Trust::refused:
        return "refused";
    }
    return "?";
}

std::string sha256_hex(std::string_view bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        panic("SHA-256 failed");
    std::string out;
    out.reserve(size_t{ size } * 2);
    for (unsigned int i = 0; i < size; ++i)
        out += fmt::format("{:02x}", digest[i]);
    return out;
}

std::filesystem::path TrustStore::default_path()
{
    return state_file_path("mcp-trust.json");
}

TrustStore TrustStore::load(std::filesystem::path path)
{
    TrustStore out;
    out.m_path = std::move(path);
    auto text = read_state_file(out.m_path, max_file_bytes);
    if (!text)
        return out;
    mem::Arena arena(mem::root(), "mcp-trust");
    auto parsed = json::parse(arena, *text, out.m_path.string());
    if (!parsed)
        return out;
    json::Field files = json::Field(*parsed)["files"];
    auto obj = files.as_object();
    if (!obj)
        return out;
    for (const auto& kv : **obj) {
        json::Field f(kv.value());
        std::string_view sha = f["sha256"].string_or("");
        std::string_view decision = f["decision"].string_or("");
        Trust t = decision == "trusted" ? Trust::trusted : decision == "refused" ? Trust::refused : Trust::undecided;
        if (sha.size() == 64 && t != Trust::undecided)
            out.m_files.insert_or_assign(std::string(kv.key()), Entry{ std::string(sha), t });
    }
    return out;
}

Trust TrustStore::decision(const std::filesystem::path& file, std::string_view sha256) const
{
    auto it = m_files.find(file.string());
    if (it == m_files.end() || it->second.sha256 != sha256)
        return Trust::undecided;
    return it->second.trust;
}

void TrustStore::set(const std::filesystem::path& file, std::string sha256, Trust trust)
{
    if (trust == Trust::undecided)
        m_files.erase(file.string());
    else
        m_files.insert_or_assign(file.string(), Entry{ std::move(sha256), trust });
}

Result<void> TrustStore::save() const
{
    boost::json::object files;
    for (const auto& [file, e] : m_files)
        files[file] = boost::json::object{ { "sha256", e.sha256 }, { "decision", to_string(e.trust) } };
    return replace_state_file(
        m_path, boost::json::serialize(boost::json::object{ { "files", std::move(files) } }) + "\n");
}

} // namespace ik::mcp
