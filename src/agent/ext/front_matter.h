// Front matter: the block of `key: value` lines between two `---` lines at
// the top of a Markdown file, as custom commands (`.ik/commands/*.md`,
// `.claude/commands/*.md`) and skills (`SKILL.md`) carry it.
//
// Only the YAML subset those files use is understood: `key: value` with a
// plain, 'single-' or "double-quoted" value; a list, either inline
// (`[a, "b"]`) or as `- item` lines under an empty value; a block scalar
// (`|` keeps newlines, `>` folds them) of indented lines; `#` comment lines.
// Anything else is an error naming the file and the line, so a typo is
// reported rather than silently dropped. A file without front matter is all
// body.
//
//   auto doc = TRY(parse_front_matter(text, "greet.md"));
//   std::string_view description = doc.value("description");
//   std::string_view body = doc.body;            // borrows `text`
//
// FrontMatter owns its field strings (heap) and borrows the body from the
// text it was parsed from.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ik::agent {

struct FrontField {
    std::string key;
    std::string value; // a scalar; empty for a list
    std::vector<std::string> items; // a list's items
    bool is_list = false;
    size_t line = 0; // 1-based, in the file
};

struct FrontMatter {
    std::vector<FrontField> fields;
    std::string_view body; // the text after the closing `---` (all of it without front matter)
    size_t body_line = 1; // the body's first line in the file

    const FrontField* find(std::string_view key) const;
    // The scalar `key`, or "" when absent or a list.
    std::string_view value(std::string_view key) const;
    // The list `key`; a scalar is split at commas outside parentheses
    // ("Bash(git add:*), Read" -> two items), as Claude Code writes them.
    std::vector<std::string> list(std::string_view key) const;
};

// Parses `text` (a file's whole content); `file` names it in errors
// ("greet.md:3: expected 'key: value'"). Fails with ErrorCode::parse.
Result<FrontMatter> parse_front_matter(std::string_view text, std::string_view file);

} // namespace ik::agent
