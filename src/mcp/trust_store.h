// Which project MCP server files the user trusts (mcp/project_servers.h).
//
// A project file names programs ik would run; a cloned repository must not
// run them just by being opened. So a file's servers start only after the
// user said yes to that file with that content: the answer is kept per file
// (its absolute path, which names the project) and per SHA-256 of its bytes,
// so an edited file is undecided again. "No" is kept the same way, so a
// refused file is not asked about at every start; `ik mcp trust` changes it.
//
//   TrustStore trust = TrustStore::load(TrustStore::default_path());
//   if (trust.decision(file.path, file.sha256) == Trust::trusted) ...
//   trust.set(file.path, file.sha256, Trust::refused);
//   TRY(trust.save());
//
// The file is small JSON, {"files": {"/p/.mcp.json": {"sha256": "…",
// "decision": "trusted"}}}, at $XDG_STATE_HOME/ik/mcp-trust.json (else
// ~/.local/state/ik/mcp-trust.json), written atomically (temp file, rename).
// A missing, oversized or malformed file reads as empty: nothing is trusted.
//
// Owns its map (heap strings; a few entries).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ik::mcp {

enum class Trust : uint8_t { undecided, trusted, refused };
std::string_view to_string(Trust trust);

// The lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

class TrustStore {
public:
    static std::filesystem::path default_path();
    static TrustStore load(std::filesystem::path path);

    // `undecided` unless the answer recorded for `file` was for this hash.
    Trust decision(const std::filesystem::path& file, std::string_view sha256) const;
    void set(const std::filesystem::path& file, std::string sha256, Trust trust);
    // Writes the whole map atomically, creating the directory.
    Result<void> save() const;

private:
    struct Entry {
        std::string sha256;
        Trust trust = Trust::undecided;
    };
    std::filesystem::path m_path;
    std::map<std::string, Entry, std::less<>> m_files;
};

} // namespace ik::mcp
